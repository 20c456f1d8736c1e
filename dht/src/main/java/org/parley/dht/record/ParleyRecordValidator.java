package org.parley.dht.record;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code /parley/} namespace: values signed by the peer named in the key (see
 * {@link ParleyRecord}); the best value has the highest sequence number, ties broken by the larger
 * value bytes so every node picks the same one. Stateless and thread safe.
 */
public final class ParleyRecordValidator implements RecordValidator {

    @Override
    public void validate(byte[] key, byte[] value) throws InvalidRecordException {
        ParleyRecord.parse(key, value);
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to select from");
        }
        int best = -1;
        ParleyRecord bestRecord = null;
        for (int i = 0; i < values.size(); i++) {
            ParleyRecord record;
            try {
                record = ParleyRecord.parse(key, values.get(i));
            } catch (InvalidRecordException e) {
                continue;
            }
            if (bestRecord == null || record.seq() > bestRecord.seq()
                    || (record.seq() == bestRecord.seq()
                            && Arrays.compareUnsigned(values.get(i), values.get(best)) > 0)) {
                best = i;
                bestRecord = record;
            }
        }
        return Math.max(best, 0);
    }
}
