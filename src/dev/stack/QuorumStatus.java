// The KRaft controller quorum of a cluster, for `kafkaQuorum` in stack.ts: kafkajs has no DescribeQuorum, and the
// cached Kafka distribution is the broker's runtime class path (no kafka-tools jar), so this runs from source with
// the JDK's single-file launcher (`java -cp <kafka libs>/* QuorumStatus.java <bootstrap servers>`), using the
// Admin client of the kafka-clients jar the brokers run with.
import java.util.Properties;
import java.util.StringJoiner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;

public class QuorumStatus {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("request.timeout.ms", "10000");
    p.put("default.api.timeout.ms", "20000");
    try (Admin admin = Admin.create(p)) {
      QuorumInfo q = admin.describeMetadataQuorum().quorumInfo().get();
      StringJoiner voters = new StringJoiner(",");
      for (QuorumInfo.ReplicaState r : q.voters()) voters.add(Integer.toString(r.replicaId()));
      System.out.println("LeaderId: " + q.leaderId());
      System.out.println("LeaderEpoch: " + q.leaderEpoch());
      System.out.println("CurrentVoters: " + voters);
    }
  }
}
