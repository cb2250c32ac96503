package org.flywaydb.core.api.callback;

/**
 * Compile-time stand-in for the interface Flyway 11.13 added (its {@code Event} implements it, and {@code Callback}
 * became {@code GenericCallback<Event>}, whose methods take it). The module compiles against Flyway 10, which lacks
 * it; this file is only read by javac (-implicit:none) to type-check {@code AutoPartitionCallback}'s methods for
 * Flyway 11.13+, and is never compiled into the jar, so the real interface is used at run time.
 *
 * @param <E> the event type
 */
public interface CallbackEvent<E extends CallbackEvent<E>> {}
