package org.parley.node.api;

import io.javalin.Javalin;
import java.util.List;
import org.parley.journal.protocol.ExchangeResult;
import org.parley.node.api.dto.SyncAnswer;
import org.parley.node.api.dto.SyncDeviceAnswer;
import org.parley.node.api.dto.SyncExchangeAnswer;
import org.parley.node.api.dto.SyncRunAnswer;
import org.parley.node.sync.DeviceSyncState;
import org.parley.node.sync.SyncService;

/**
 * The history sync endpoints, translating to and from {@link SyncService}: {@code GET /api/sync}
 * (each sibling device's sync state) and {@code POST /api/sync/run} (sync with every online
 * sibling now and say what was exchanged). Thread safe.
 */
public final class SyncRoutes implements ApiRoutes {

    private final SyncService service;

    public SyncRoutes(SyncService service) {
        this.service = service;
    }

    @Override
    public void addTo(Javalin app) {
        app.get(ApiPaths.SYNC, ctx -> ctx.json(answer()));
        app.post(ApiPaths.SYNC_RUN, ctx -> {
            List<SyncExchangeAnswer> exchanges = service.syncNow().stream().map(SyncRoutes::exchange).toList();
            ctx.json(new SyncRunAnswer(exchanges, answer()));
        });
    }

    private SyncAnswer answer() {
        List<?> online = service.onlineSiblings();
        List<SyncDeviceAnswer> devices = service.states().stream()
                .map(s -> device(s, online.contains(s.device())))
                .toList();
        return new SyncAnswer(service.journal().device().toBase58(), service.journal().store().count(), devices);
    }

    private static SyncDeviceAnswer device(DeviceSyncState s, boolean online) {
        return new SyncDeviceAnswer(s.device().toBase58(), online, s.state(), s.behindBy(),
                s.lastSync() == null ? null : s.lastSync().toString(), s.error());
    }

    private static SyncExchangeAnswer exchange(ExchangeResult r) {
        return new SyncExchangeAnswer(r.peer().toBase58(), r.entriesReceived(), r.entriesStored(), r.entriesSent(),
                r.bytesReceived(), r.bytesSent(), r.more());
    }
}
