package io.mcpagent.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.security.LastAdminKeyException;
import io.mcpagent.api.security.Role;

/**
 * API keys, kept on disk only as SHA-256 hashes. Keys are {@code mcpa_<id>_<secret>} with 256 random bits of
 * secret, so a fast unsalted hash is the right tool: there is nothing to brute-force, and lookups stay cheap.
 * Keys supplied by an operator in another format are stored the same way and found by their hash.
 * The file is written atomically and is never overwritten once it fails to parse.
 */
final class ApiKeyStore {
    static final String PREFIX = "mcpa_";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    /** A stored key; {@code tenant} is null for a key of the default tenant. */
    record ApiKey(String id, String name, Role role, String sha256, Instant created, String tenant) {
        /**
         * The tenant its caller acts for (null: the default). An admin key's stored tenant, which keys created before
         * admin keys were refused one may have, is ignored: an admin acts for every tenant.
         */
        String actingTenant() {
            return role == Role.ADMIN ? null : tenant;
        }
    }

    /** The key file exists but cannot be read as a key file; the API refuses to guess. */
    static final class CorruptKeyFile extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptKeyFile(String message) {
            super(message);
        }
    }

    private final Path file;
    private List<ApiKey> keys; // guarded by this

    private ApiKeyStore(Path file, List<ApiKey> keys) {
        this.file = file;
        this.keys = List.copyOf(keys);
    }

    static boolean exists(Path file) {
        return Files.exists(file);
    }

    /** Opens the store, creating an empty one in memory if the file does not exist yet. */
    static ApiKeyStore open(Path file) throws CorruptKeyFile {
        if (!Files.exists(file)) {
            return new ApiKeyStore(file, List.of());
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode list = root == null ? null : root.get("keys");
            if (list == null || !list.isArray()) {
                throw new CorruptKeyFile(file + " has no \"keys\" array");
            }
            List<ApiKey> keys = new ArrayList<>();
            for (JsonNode node : list) {
                Optional<Role> role = Role.parse(node.path("role").asText());
                String hash = node.path("sha256").asText();
                if (node.path("id").asText().isEmpty() || role.isEmpty() || hash.length() != 64) {
                    throw new CorruptKeyFile(file + " has an invalid entry: " + node);
                }
                keys.add(new ApiKey(node.path("id").asText(), node.path("name").asText(), role.get(), hash,
                        Instant.parse(node.path("created").asText(Instant.EPOCH.toString())),
                        node.path("tenant").isTextual() ? node.path("tenant").asText() : null));
            }
            return new ApiKeyStore(file, keys);
        } catch (IOException | RuntimeException e) {
            throw new CorruptKeyFile(file + " cannot be read as an API key file (" + e.getMessage() + ")");
        }
    }

    Path file() {
        return file;
    }

    synchronized List<ApiKey> list() {
        return keys;
    }

    synchronized boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Creates a new key of the default tenant and returns its secret text, which is not kept anywhere. */
    String create(Role role, String name) throws IOException {
        return create(role, name, null);
    }

    /** Creates a new key acting for {@code tenant} (null: the default) and returns its secret text. */
    synchronized String create(Role role, String name, String tenant) throws IOException {
        String id = newId();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        add(new ApiKey(id, name, role, sha256(key), Instant.now(), tenant));
        return key;
    }

    /** Stores a key chosen by the operator (bootstrap); its text may be in any format. */
    synchronized ApiKey importKey(String key, Role role, String name) throws IOException {
        String id = parseId(key).filter(i -> keys.stream().noneMatch(k -> k.id().equals(i))).orElseGet(this::newId);
        ApiKey entry = new ApiKey(id, name, role, sha256(key), Instant.now(), null);
        add(entry);
        return entry;
    }

    /**
     * Removes the key with this id; false when there is none.
     *
     * @throws LastAdminKeyException when it is the only admin key: a restart makes no new one while keys exist
     */
    synchronized boolean revoke(String id) throws IOException {
        List<ApiKey> remaining = keys.stream().filter(k -> !k.id().equals(id)).toList();
        if (remaining.size() == keys.size()) {
            return false;
        }
        if (remaining.stream().noneMatch(k -> k.role() == Role.ADMIN)
                && keys.stream().anyMatch(k -> k.role() == Role.ADMIN)) {
            throw new LastAdminKeyException(id);
        }
        write(remaining);
        keys = remaining;
        return true;
    }

    /**
     * The id of the key {@code text} is, when it is a stored key or has the shape of one ({@code mcpa_<id>_<secret>});
     * empty for anything else, such as a stored key's id.
     */
    Optional<String> idOfKey(String text) {
        if (list().stream().anyMatch(k -> k.id().equals(text))) {
            return Optional.empty();
        }
        Optional<String> stored = authenticate(text).map(ApiKey::id);
        return stored.isPresent() ? stored : parseId(text);
    }

    /** The key this secret belongs to, compared in constant time. */
    Optional<ApiKey> authenticate(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 512) {
            return Optional.empty();
        }
        byte[] presented = HexFormat.of().parseHex(sha256(secret));
        ApiKey match = null;
        for (ApiKey key : list()) {
            // every entry is compared, so timing does not tell which one matched
            if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(key.sha256()))) {
                match = key;
            }
        }
        return Optional.ofNullable(match);
    }

    private void add(ApiKey key) throws IOException {
        List<ApiKey> next = new ArrayList<>(keys);
        next.add(key);
        write(next);
        keys = List.copyOf(next);
    }

    private void write(List<ApiKey> entries) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("comment", "API keys, stored as SHA-256 hashes only; manage with apikey:create/list/revoke");
        ArrayNode list = root.putArray("keys");
        for (ApiKey key : entries) {
            ObjectNode entry = list.addObject().put("id", key.id()).put("name", key.name())
                    .put("role", key.role().id()).put("sha256", key.sha256()).put("created", key.created().toString());
            if (key.tenant() != null) {
                entry.put("tenant", key.tenant());
            }
        }
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".api-keys", ".tmp");
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private String newId() {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static Optional<String> parseId(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = key.indexOf('_', PREFIX.length());
        return end > PREFIX.length() ? Optional.of(key.substring(PREFIX.length(), end)) : Optional.empty();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
