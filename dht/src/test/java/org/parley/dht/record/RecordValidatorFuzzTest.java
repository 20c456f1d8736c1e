package org.parley.dht.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for the record validators, as a DHT server runs them on every PUT_VALUE and a
 * client on every GET_VALUE answer: any key and value either validate or fail with
 * {@link InvalidRecordException}; {@code select} picks an index in range. The signed target makes
 * real {@code /parley/} records from fuzzed fields and then corrupts some bytes, so that the checks
 * behind the signature are reached. See {@link FuzzChecks}.
 */
class RecordValidatorFuzzTest {

    /** A fixed key keeps findings reproducible: Ed25519 signatures are deterministic. */
    private static final Ed25519PrivateKey SIGNER = Ed25519PrivateKey.fromSeed(
            HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    private static final int MAX_VALUES = 8;

    @FuzzTest
    void namespacedValidate(FuzzedDataProvider data) {
        byte[] key = data.consumeBytes(data.consumeInt(0, 200));
        byte[] value = data.consumeRemainingAsBytes();
        validates(NamespacedValidator.standard(), key, value);
    }

    @FuzzTest
    void eachValidatorOnAnyKey(FuzzedDataProvider data) {
        RecordValidator validator = data.consumeBoolean() ? new PublicKeyValidator() : new ParleyRecordValidator();
        byte[] key = data.consumeBytes(data.consumeInt(0, 200));
        byte[] value = data.consumeRemainingAsBytes();
        validates(validator, key, value);
    }

    @FuzzTest
    void signedParleyRecord(FuzzedDataProvider data) throws InvalidRecordException {
        String name = data.consumeString(ParleyRecord.MAX_NAME_BYTES);
        long seq = data.consumeLong(0, Long.MAX_VALUE);
        byte[] payload = data.consumeBytes(data.consumeInt(0, 512));
        ParleyRecord record;
        try {
            record = ParleyRecord.sign(SIGNER, name, seq, payload);
        } catch (IllegalArgumentException badName) {
            return;
        }
        byte[] key = record.key();
        byte[] value = record.value();
        int flips = data.consumeInt(0, 3);
        for (int i = 0; i < flips; i++) {
            byte[] target = data.consumeBoolean() ? key : value;
            if (target.length > 0) {
                target[data.consumeInt(0, target.length - 1)] ^= data.consumeByte();
            }
        }
        ParleyRecord parsed = validates(new ParleyRecordValidator(), key, value) ? ParleyRecord.parse(key, value) : null;
        if (parsed != null && flips == 0) {
            assertThat(parsed.name()).isEqualTo(name);
            assertThat(parsed.seq()).isEqualTo(seq);
            assertThat(parsed.data()).isEqualTo(payload);
        }
    }

    @FuzzTest
    void select(FuzzedDataProvider data) {
        byte[] key = data.consumeBytes(data.consumeInt(0, 100));
        List<byte[]> values = new ArrayList<>();
        int count = data.consumeInt(1, MAX_VALUES);
        for (int i = 0; i < count; i++) {
            values.add(data.consumeBytes(data.consumeInt(0, 300)));
        }
        for (RecordValidator validator : List.of(new PublicKeyValidator(), new ParleyRecordValidator())) {
            assertThat(validator.select(key, values)).isBetween(0, values.size() - 1);
        }
    }

    /** True if the record validates; false if it fails with a clear {@link InvalidRecordException}. */
    private static boolean validates(RecordValidator validator, byte[] key, byte[] value) {
        try {
            validator.validate(key, value);
            return true;
        } catch (InvalidRecordException e) {
            FuzzChecks.requireClearMessage(e);
            return false;
        }
    }
}
