// What the PIN vault's first use costs in a JVM that already talks to DynamoDB (as the function does before any PIN
// is sealed or read): building the KMS client, the first GenerateDataKey, the first AES-GCM seal.
//
//   ./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
//   node src/local/sandbox.mjs --port 8798 & node src/local/dynalite.mjs --port 8797 &
//   java -cp "$(cat target/cp.txt)" src/local/MeasureKmsFirstUse.java http://127.0.0.1:8798/kms http://127.0.0.1:8797
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.*;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import javax.crypto.*;
import javax.crypto.spec.*;

public class MeasureKmsFirstUse {
    public static void main(String[] a) throws Exception {
        var ddb = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder().region(Region.EU_WEST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
            .endpointOverride(URI.create(a[1])).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l","l"))).build();
        long d0 = System.nanoTime();
        ddb.listTables();
        System.out.printf("(DynamoDB first call, as the function makes before any PIN: %d ms)%n", (System.nanoTime()-d0)/1_000_000);
        long t0 = System.nanoTime();
        KmsClient kms = KmsClient.builder().region(Region.EU_WEST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
            .endpointOverride(URI.create(a[0])).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l","l"))).build();
        long t1 = System.nanoTime();
        var key = kms.generateDataKey(r -> r.keyId("alias/x").keySpec(DataKeySpec.AES_256).encryptionContext(Map.of("purpose","p")));
        long t2 = System.nanoTime();
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.plaintext().asByteArray(), "AES"), new GCMParameterSpec(128, new byte[12]));
        c.doFinal("123456".getBytes());
        long t3 = System.nanoTime();
        kms.generateDataKey(r -> r.keyId("alias/x").keySpec(DataKeySpec.AES_256).encryptionContext(Map.of("purpose","p")));
        long t4 = System.nanoTime();
        System.out.printf("build client %d ms, first GenerateDataKey %d ms, first AES-GCM seal %d ms, second GenerateDataKey %d ms%n",
            (t1-t0)/1_000_000, (t2-t1)/1_000_000, (t3-t2)/1_000_000, (t4-t3)/1_000_000);
    }
}
