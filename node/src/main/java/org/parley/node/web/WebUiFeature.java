package org.parley.node.web;

import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;
import org.parley.webui.WebUi;

/**
 * The web UI feature: serves the page of the {@code web-ui} module at {@code /}, its files and the
 * Lit modules it imports, behind the API's token, Host and Origin checks and a strict
 * Content-Security-Policy (see {@link WebUiRoutes}).
 */
public final class WebUiFeature implements Feature {

    @Override
    public String name() {
        return "web";
    }

    @Override
    public FeatureParts start(FeatureContext context) {
        return FeatureParts.routes(new WebUiRoutes(WebUi.load()));
    }
}
