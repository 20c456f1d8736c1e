package org.parley.node.files;

import java.util.List;
import java.util.Map;
import org.parley.files.protocol.FilesProtocol;
import org.parley.files.protocol.FilesResponder;
import org.parley.node.api.DownloadRateRoutes;
import org.parley.node.api.FilesRoutes;
import org.parley.node.api.FilesWebRoutes;
import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;
import org.parley.node.storage.StorageException;

/**
 * File sharing in the node: serves {@code /parley/files/1.0.0} from the node's shares and
 * downloads, restores them from the database, and adds the {@code /api/files/} and
 * {@code /api/transfers} routes, and the download limit ({@code /api/settings/download-rate}).
 */
public final class FilesFeature implements Feature {

    /** Under the data dir: partial downloads ({@code <file id>.part}) and their bitfields ({@code .bits}). */
    public static final String DOWNLOADS_DIR = "downloads";

    @Override
    public String name() {
        return "files";
    }

    @Override
    public FeatureParts start(FeatureContext context) throws StorageException {
        DownloadRateLimit rate = DownloadRateLimit.load(context.storage().keyValueStore(DownloadRateLimit.NAMESPACE));
        FilesService service = new FilesService(context.host(), context.dht().dht(),
                new FilesStore(context.storage().database(), context.storage().cipher()), context.events(),
                context.clock(), context.settings().dataDir().root().resolve(DOWNLOADS_DIR), rate.bucket());
        service.restore();
        return new FeatureParts(Map.of(FilesProtocol.PROTOCOL_ID, new FilesResponder(service.sources())),
                List.of(new FilesRoutes(service), new DownloadRateRoutes(rate),
                FilesWebRoutes.under(service, context.settings().dataDir().root())), List.of(service));
    }
}
