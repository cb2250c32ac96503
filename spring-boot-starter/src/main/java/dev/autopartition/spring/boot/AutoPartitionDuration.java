package dev.autopartition.spring.boot;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code Duration} property of this starter that {@link DurationGrammarConverter} reads in the engine's one
 * duration grammar as well as Spring Boot's; only the properties marked so, so the application's own {@code Duration}
 * properties keep Spring Boot's reading ({@code @DurationUnit} and all).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.RECORD_COMPONENT})
@interface AutoPartitionDuration {}
