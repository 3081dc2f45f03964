// Readiness probe of the test broker, run by scripts/kafka.sh as a single-file Java program
// against the broker's own kafka-clients jar. The broker is ready for the test suite once it
// can create (and delete) a topic, answer for a consumer group's offsets and start a
// transactional producer; the last two also create __consumer_offsets and
// __transaction_state, so the first test that needs them does not pay for that.
//
// Usage: java -cp '<libs>/*' BrokerProbe.java <bootstrap servers> <timeout seconds>
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class BrokerProbe {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[1])).toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        probe(bootstrap);
        return;
      } catch (Exception e) {
        last = e;
        Thread.sleep(500);
      }
    }
    System.err.println("broker not ready: " + last);
    System.exit(1);
  }

  private static void probe(String bootstrap) throws Exception {
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    try (Admin admin = Admin.create(adminProps)) {
      String topic = "__ksml_probe_" + System.currentTimeMillis();
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      admin.deleteTopics(List.of(topic)).all().get();
      admin.listConsumerGroupOffsets("__ksml_probe").partitionsToOffsetAndMetadata().get();
    }
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "__ksml_probe");
    producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
    }
  }
}
