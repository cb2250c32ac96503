package dev.autopartition.samples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The chat application. At start-up Spring Boot runs the Liquibase changelog (which creates {@code chat_messages} and
 * partitions it by day); then the starter runs one maintenance pass and one every {@code
 * autopartition.maintenance.interval}.
 */
// tag::application[]
@SpringBootApplication
public class ChatApplication {
    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }
}
// end::application[]
