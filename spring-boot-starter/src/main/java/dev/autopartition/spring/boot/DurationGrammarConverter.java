package dev.autopartition.spring.boot;

import dev.autopartition.Durations;
import dev.autopartition.InvalidSpecException;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.ConditionalGenericConverter;

/**
 * Reads the starter's {@link AutoPartitionDuration} properties with {@link Durations#parse(String)}, the grammar of
 * every autopartition front end ({@code 500}, {@code 500ms}, {@code 10s}, {@code 1h30m}, {@code 2 min}, {@code PT10M});
 * Spring Boot's own forms ({@code 10s}, {@code 500ms}, {@code PT10M}, a bare number of milliseconds) mean the same in
 * it. Registered for configuration-properties binding only ({@code @ConfigurationPropertiesBinding}), and it matches
 * only targets marked {@link AutoPartitionDuration}: no other {@code Duration} is read differently.
 */
final class DurationGrammarConverter implements ConditionalGenericConverter {
    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return Set.of(new ConvertiblePair(String.class, Duration.class));
    }

    @Override
    public boolean matches(TypeDescriptor sourceType, TypeDescriptor targetType) {
        return targetType.hasAnnotation(AutoPartitionDuration.class);
    }

    @Override
    public @Nullable Object convert(@Nullable Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        String text = (String) source;
        try {
            return Durations.parse(text);
        } catch (InvalidSpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
