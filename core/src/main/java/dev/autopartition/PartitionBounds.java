package dev.autopartition;

import java.util.List;

/** The bounds of one explicitly created partition: a range, a list of values, a hash slot, or the default. */
public sealed interface PartitionBounds
        permits PartitionBounds.Range, PartitionBounds.Values, PartitionBounds.Hash, PartitionBounds.Default {

    /** {@code FOR VALUES FROM (from) TO (to)}; values as users write them, such as {@code 2022-01-01}. */
    static PartitionBounds range(String from, String to) {
        return new Range(from, to);
    }

    /** {@code FOR VALUES IN (values)}. */
    static PartitionBounds values(String... values) {
        return new Values(List.of(values));
    }

    /** {@code FOR VALUES WITH (MODULUS m, REMAINDER r)}. */
    static PartitionBounds hash(int modulus, int remainder) {
        return new Hash(modulus, remainder);
    }

    /** {@code DEFAULT}. */
    static PartitionBounds defaultPartition() {
        return new Default();
    }

    /** A range partition's bounds. */
    record Range(String from, String to) implements PartitionBounds {}

    /** A list partition's values. */
    record Values(List<String> values) implements PartitionBounds {
        public Values {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new InvalidSpecException(
                        SpecField.VALUES, "A list partition needs at least one value. Fix: give its values.");
            }
        }
    }

    /** A hash partition's slot. */
    record Hash(int modulus, int remainder) implements PartitionBounds {
        public Hash {
            if (modulus < 1 || remainder < 0 || remainder >= modulus) {
                throw new InvalidSpecException(
                        SpecField.HASH,
                        "Hash partition modulus " + modulus + ", remainder " + remainder
                                + " is invalid. Fix: use a modulus of at least 1 and a remainder from 0 to modulus - 1.");
            }
        }
    }

    /** The default partition. */
    record Default() implements PartitionBounds {}
}
