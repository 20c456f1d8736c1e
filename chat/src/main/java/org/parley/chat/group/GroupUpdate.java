package org.parley.chat.group;

import java.util.List;

/**
 * What one step of a {@link GroupEngine} produced: deliveries to make (in order), messages to show,
 * groups whose state changed, and what was refused (with reasons, for the log; nothing refused
 * changed any state). Immutable.
 */
public record GroupUpdate(List<GroupDelivery> deliveries, List<GroupText> texts, List<GroupState> changed,
        List<GroupOpRejectedException> refusedOps, List<String> refusedMessages) {

    public GroupUpdate {
        deliveries = List.copyOf(deliveries);
        texts = List.copyOf(texts);
        changed = List.copyOf(changed);
        refusedOps = List.copyOf(refusedOps);
        refusedMessages = List.copyOf(refusedMessages);
    }
}
