package dev.autopartition.maven;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.Durations;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** Settings errors fail the build (MojoFailureException); an unreachable database is an execution error. */
class MojoConfigurationTest {
    private static StatusMojo mojo(String url) {
        StatusMojo mojo = new StatusMojo();
        mojo.url = url;
        mojo.catalogSchema = "autopartition";
        return mojo;
    }

    @Test
    void skipDoesNothingAtAll() {
        StatusMojo mojo = new StatusMojo();
        mojo.skip = true;
        assertThatCode(mojo::execute).doesNotThrowAnyException();
    }

    @Test
    void aMissingUrlSaysWhereToSetIt() {
        assertThatThrownBy(new StatusMojo()::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<url>")
                .hasMessageContaining("-Dautopartition.url=");
        assertThatThrownBy(mojo("mysql://localhost/app")::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("is not a PostgreSQL JDBC URL");
    }

    @Test
    void badSettingsAreFailures() {
        StatusMojo lockTimeout = mojo("jdbc:postgresql://127.0.0.1:1/app");
        lockTimeout.lockTimeout = "banana";
        assertThatThrownBy(lockTimeout::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessage("<lockTimeout> 'banana' is not a duration. Fix: write " + Durations.GRAMMAR + ".");
        StatusMojo now = mojo("jdbc:postgresql://127.0.0.1:1/app");
        now.now = "yesterday";
        assertThatThrownBy(now::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<now> 'yesterday' is not an instant");
    }

    @Test
    void theEnginesRefusalNamesTheSetting() {
        StatusMojo mojo = mojo("jdbc:postgresql://127.0.0.1:1/app");
        mojo.lockTimeout = "0ms";
        assertThatThrownBy(mojo::execute)
                .as("InvalidSpecException.field() is LOCK_TIMEOUT: the message is the engine's, after the setting")
                .isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("<lockTimeout> lockTimeout must be positive, was PT0S.");
    }

    @Test
    void theLockTimeoutIsReadInTheOneGrammarOfEveryFrontEnd() {
        for (String timeout : new String[] {"500", "1h30m", "2 min", "1.5s", "PT2S"}) {
            StatusMojo mojo = mojo("jdbc:postgresql://127.0.0.1:1/app");
            mojo.lockTimeout = timeout;
            assertThatThrownBy(mojo::execute)
                    .as("<lockTimeout>%s</lockTimeout> is read; then the unreachable database fails the goal", timeout)
                    .isInstanceOf(MojoExecutionException.class)
                    .hasMessageStartingWith("Cannot connect to PostgreSQL");
        }
    }

    @Test
    void anUnreachableDatabaseIsAnExecutionError() {
        StatusMojo mojo = mojo("jdbc:postgresql://127.0.0.1:1/app");
        mojo.password = "s3cr3t";
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("Cannot connect to PostgreSQL: [08001] Connection to 127.0.0.1:1 refused")
                .hasMessageNotContaining("s3cr3t");
    }
}
