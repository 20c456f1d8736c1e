package org.parley.files.download;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.link.FileLink;
import org.parley.files.manifest.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the manifest a peer sent is the link's file: the link's key opens its sealed name and the
 * sizes agree. The file id already matched (it is the manifest's hash); this catches a link whose
 * key or size was altered, before any piece is fetched.
 */
final class ManifestCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ManifestCheck.class);

    private ManifestCheck() {}

    /** @throws DownloadException with {@link DownloadException.Reason#BAD_LINK} if the link does not fit the manifest */
    static void check(FileLink link, Manifest manifest) throws DownloadException {
        try (ChunkCipher cipher = new ChunkCipher(link.key(), manifest.cipher())) {
            byte[] name = cipher.openName(manifest.sealedName());
            if (!Arrays.equals(name, link.name().getBytes(StandardCharsets.UTF_8))) {
                LOG.info("the link names the file {} bytes long, the manifest differently; keeping the link's name", name.length);
            }
        } catch (AEADBadTagException e) {
            throw new DownloadException(DownloadException.Reason.BAD_LINK,
                    "the link's key does not open the file its peers serve; ask the sender for the link again");
        }
        if (manifest.size() != link.size()) {
            throw new DownloadException(DownloadException.Reason.BAD_LINK,
                    "the link says " + link.size() + " bytes but the file has " + manifest.size() + "; ask the sender for the link again");
        }
    }
}
