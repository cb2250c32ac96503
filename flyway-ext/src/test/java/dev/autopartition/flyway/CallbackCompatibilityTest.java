package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Map;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * AutoPartitionCallback is compiled against Flyway 10; Flyway 11.13 made Callback a GenericCallback whose erased
 * methods take CallbackEvent. Checked against the Flyway on the test class path (-Dflyway.test.version).
 */
class CallbackCompatibilityTest {
    private static boolean generic() {
        try {
            Class.forName("org.flywaydb.core.api.callback.CallbackEvent");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void implementsEveryMethodOfThisFlywaysCallbackInterface() throws Exception {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Method[] methods = Arrays.stream(Callback.class.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()))
                .toArray(Method[]::new);
        assertThat(methods).as("Callback's abstract methods").hasSizeGreaterThanOrEqualTo(4);
        for (Method method : methods) {
            // findVirtual resolves one method, unlike getMethods, which needs every parameter type to exist
            assertThat(lookup.findVirtual(
                            AutoPartitionCallback.class,
                            method.getName(),
                            MethodType.methodType(method.getReturnType(), method.getParameterTypes())))
                    .as("implementation of " + method)
                    .isNotNull();
        }
    }

    @Test
    void answersThroughTheInterfaceAsFlywayCallsIt() throws Exception {
        Configuration configuration = (Configuration) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getPlaceholders")) {
                        return Map.of("autopartition.enabled", "false");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Context context = (Context) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Context.class},
                (proxy, method, args) -> method.getName().equals("getConfiguration") ? configuration : null);
        Callback callback = new AutoPartitionCallback();
        Method supports = Arrays.stream(Callback.class.getMethods())
                .filter(m -> m.getName().equals("supports"))
                .findFirst()
                .orElseThrow();
        Method inTransaction = Arrays.stream(Callback.class.getMethods())
                .filter(m -> m.getName().equals("canHandleInTransaction"))
                .findFirst()
                .orElseThrow();

        assertThat(supports.invoke(callback, Event.AFTER_MIGRATE, context))
                .as("switched off by placeholder")
                .isEqualTo(false);
        assertThat(supports.invoke(new AutoPartitionCallback(FlywaySettings.defaults()), Event.AFTER_MIGRATE, context))
                .as("fixed settings: enabled")
                .isEqualTo(true);
        assertThat(supports.invoke(new AutoPartitionCallback(FlywaySettings.defaults()), Event.BEFORE_MIGRATE, context))
                .as("only after migrate")
                .isEqualTo(false);
        assertThat(inTransaction.invoke(callback, Event.AFTER_MIGRATE, context))
                .as("outside a transaction")
                .isEqualTo(false);
    }

    @Test
    void beforeFlyway11Point13ReflectionOverItsDeclaredMethodsFails() {
        if (generic()) {
            assertThat(AutoPartitionCallback.class.getDeclaredMethods())
                    .as("Flyway 11.13+: every method resolves")
                    .isNotEmpty();
        } else {
            assertThatThrownBy(AutoPartitionCallback.class::getDeclaredMethods)
                    .as("the documented limitation: CallbackEvent does not exist before Flyway 11.13")
                    .isInstanceOf(NoClassDefFoundError.class);
        }
    }
}
