package org.parley.libp2p.crypto;

/** Key bytes that cannot be decoded or do not form a valid key. */
public class InvalidKeyException extends Exception {

    public InvalidKeyException(String message) {
        super(message);
    }

    public InvalidKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
