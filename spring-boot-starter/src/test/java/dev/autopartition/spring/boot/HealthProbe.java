package dev.autopartition.spring.boot;

import java.lang.reflect.Method;
import java.util.Map;
import org.springframework.context.ApplicationContext;

/**
 * Reads a health indicator the way Actuator does, for either Spring Boot line: Boot 3's and Boot 4's {@code Health}
 * live in different packages but both have {@code getStatus().getCode()} and {@code getDetails()}.
 */
record HealthProbe(String status, Map<String, Object> details) {

    /** A map in the details ({@code tables}, {@code migrations}), empty when absent. */
    @SuppressWarnings("unchecked")
    Map<String, Object> section(String name) {
        Object value = details.get(name);
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    static HealthProbe of(ApplicationContext context, String beanName) {
        try {
            Object indicator = context.getBean(beanName);
            Method health = indicator.getClass().getMethod("health");
            health.setAccessible(true);
            return of(health.invoke(indicator));
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("Cannot read the health of " + beanName, e);
        }
    }

    /** The status code of a Health (or of the endpoint's aggregate, which has the same method). */
    static String status(Object health) throws ReflectiveOperationException {
        Object status = health.getClass().getMethod("getStatus").invoke(health);
        return (String) status.getClass().getMethod("getCode").invoke(status);
    }

    @SuppressWarnings("unchecked")
    static HealthProbe of(Object health) throws ReflectiveOperationException {
        String code = status(health);
        Map<String, Object> details =
                (Map<String, Object>) health.getClass().getMethod("getDetails").invoke(health);
        return new HealthProbe(code, details);
    }
}
