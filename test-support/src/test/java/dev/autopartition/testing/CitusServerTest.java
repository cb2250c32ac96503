package dev.autopartition.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CitusServerTest {
    @Test
    void saysWhyTheClusterCannotStartWithoutPostgres15() {
        String previous = System.getProperty(CitusServer.BIN_PROPERTY);
        System.setProperty(CitusServer.BIN_PROPERTY, "/nonexistent/postgresql/15/bin");
        try {
            assertThat(CitusServer.unavailableReason())
                    .isEqualTo("no PostgreSQL 15 binaries in /nonexistent/postgresql/15/bin"
                            + " (apt-get install -y postgresql-15, or set -Dautopartition.test.citus.bin)");
        } finally {
            if (previous == null) {
                System.clearProperty(CitusServer.BIN_PROPERTY);
            } else {
                System.setProperty(CitusServer.BIN_PROPERTY, previous);
            }
        }
    }
}
