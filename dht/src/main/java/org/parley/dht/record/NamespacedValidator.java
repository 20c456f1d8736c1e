package org.parley.dht.record;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dispatches validation and selection to the validator of the key's namespace; keys of any other
 * namespace are refused. Immutable and thread safe.
 */
public final class NamespacedValidator implements RecordValidator {

    private final Map<String, RecordValidator> byNamespace;

    public NamespacedValidator(Map<String, RecordValidator> byNamespace) {
        this.byNamespace = Map.copyOf(byNamespace);
    }

    /** The validators every Parley node runs: {@code pk} and {@code parley}. */
    public static NamespacedValidator standard() {
        return new NamespacedValidator(Map.of(
                PublicKeyValidator.NAMESPACE, new PublicKeyValidator(),
                ParleyRecord.NAMESPACE, new ParleyRecordValidator()));
    }

    @Override
    public void validate(byte[] key, byte[] value) throws InvalidRecordException {
        validatorFor(key).validate(key, value);
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
        try {
            return validatorFor(key).select(key, values);
        } catch (InvalidRecordException e) {
            throw new IllegalArgumentException("cannot select values of an invalid key: " + e.getMessage(), e);
        }
    }

    private RecordValidator validatorFor(byte[] key) throws InvalidRecordException {
        String namespace = RecordKey.namespace(key);
        RecordValidator validator = byNamespace.get(namespace);
        if (validator == null) {
            throw new InvalidRecordException("unknown record namespace '" + namespace + "'; expected one of "
                    + new TreeMap<>(byNamespace).keySet());
        }
        return validator;
    }
}
