package org.springframework.boot.health.contributor;

import java.util.Map;

/** Compile-time stub of the builder calls the starter makes; never compiled into the jar. */
public final class Health {
    private Health() {}

    public static Builder up() {
        return new Builder();
    }

    public static Builder down() {
        return new Builder();
    }

    /** Compile-time stub. */
    public static class Builder {
        public Builder withDetail(String key, Object value) {
            return this;
        }

        public Builder withDetails(Map<String, ?> details) {
            return this;
        }

        public Health build() {
            return new Health();
        }
    }
}
