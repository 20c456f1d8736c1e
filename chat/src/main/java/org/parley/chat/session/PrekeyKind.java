package org.parley.chat.session;

/** The kinds of prekey a device keeps, each with its own id space. */
public enum PrekeyKind {
    /** The medium-term signed EC prekey, rotated weekly. */
    SIGNED,
    /** One-time EC prekeys, each offered in one bundle and deleted once used. */
    ONE_TIME_EC,
    /** One-time Kyber-1024 prekeys, each offered in one bundle and deleted once used. */
    KYBER
}
