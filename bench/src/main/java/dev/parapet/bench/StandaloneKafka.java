package dev.parapet.bench;

import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/** A broker in its own JVM for load tests: writes its bootstrap address to the file named by the first argument. */
public final class StandaloneKafka {

    private StandaloneKafka() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        try (Admin admin = kafka.admin()) {
            new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(TopicCatalog.defaults().specs());
        }
        Files.writeString(Path.of(args[0]), kafka.bootstrapServers());
        Thread.sleep(Long.MAX_VALUE);
    }
}
