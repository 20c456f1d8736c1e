package org.parley.node.identity;

import org.parley.node.api.UserRoutes;
import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;

/** Finding users by hashed ID: {@code /api/find-user} over a {@link UserDirectory}. */
public final class UserDirectoryFeature implements Feature {

    @Override
    public String name() {
        return "find-user";
    }

    @Override
    public FeatureParts start(FeatureContext context) {
        return FeatureParts.routes(new UserRoutes(new UserDirectory(context.dht())));
    }
}
