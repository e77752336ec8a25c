package org.babysitter.engine.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How one machine takes part in a search across machines.
 *
 * @param name    the cluster's name as the user says it ("lab-203"): letters, digits, '.', '_' and '-', at most 64
 * @param secret  the secret shared by the lab's machines, at least {@link #MIN_SECRET} characters; never printed
 * @param members the addresses to join, "HOST" or "HOST:PORT" (no multicast, no discovery: only these are asked);
 *                empty for the first member (the search's owner)
 * @param bind    the one local address this member listens on and speaks from (127.0.0.1 for tests, the machine's
 *                LAN address in a lab); never every interface
 * @param port    the port this member listens on (one port, no auto-increment)
 */
public record ClusterConfig(String name, String secret, List<String> members, String bind, int port) {
    /** The port a member listens on unless told otherwise (Hazelcast's own default). */
    public static final int DEFAULT_PORT = 5701;
    /** The shortest secret accepted: a guessable secret is no secret. */
    public static final int MIN_SECRET = 12;

    public ClusterConfig {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a cluster name is 1 to 64 letters, digits, '.', '_' or '-', got \"" + name + "\"");
        }
        if (secret == null || secret.strip().length() < MIN_SECRET) {
            throw new IllegalArgumentException("the cluster's shared secret must have at least " + MIN_SECRET + " characters");
        }
        secret = secret.strip();
        members = List.copyOf(members);
        for (String m : members) {
            checkAddress(m);
        }
        if (bind == null || !bind.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new IllegalArgumentException("bind is one local IPv4 address (such as 127.0.0.1 or 192.168.1.23), got \"" + bind + "\"");
        }
        if (bind.equals("0.0.0.0")) {
            throw new IllegalArgumentException("a member listens on one address, not on every interface (0.0.0.0)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    /** Checks "HOST" or "HOST:PORT". */
    static void checkAddress(String address) {
        if (address == null || !address.matches("[A-Za-z0-9.-]+(:\\d{1,5})?")) {
            throw new IllegalArgumentException("a member's address is HOST or HOST:PORT, got \"" + address + "\"");
        }
        int colon = address.indexOf(':');
        if (colon >= 0) {
            int p = Integer.parseInt(address.substring(colon + 1));
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port must be 1..65535 in \"" + address + "\"");
            }
        }
    }

    /**
     * The name Hazelcast sees: the user's name and the first 128 bits of HMAC-SHA256(secret, name). A member without
     * the secret has another cluster name and is refused at join. The name travels in clear on the network: this keeps
     * out a stranger's or a misconfigured member, not someone who listens on the lab's network (see DESIGN.md).
     */
    public String clusterName() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] tag = mac.doFinal(("babysitter cluster " + name).getBytes(StandardCharsets.UTF_8));
            return name + "-" + HexFormat.of().formatHex(tag, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }

    /** The members to join, each with its port ({@link #DEFAULT_PORT} where none was given). */
    public List<String> memberAddresses() {
        return members.stream().map(m -> m.contains(":") ? m : m + ":" + DEFAULT_PORT).toList();
    }

    /**
     * The local address whose route reaches {@code hostPort}'s host: a worker's default {@code bind} (no packet is
     * sent: a UDP socket only picks a route).
     */
    public static String localAddressTowards(String hostPort) throws IOException {
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
        InetAddress target;
        try {
            target = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IOException("no machine is known by the name \"" + host + "\" (the owner's address: HOST or HOST:PORT)", e);
        }
        if (target.isLoopbackAddress()) {
            return "127.0.0.1";
        }
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(target, 9));
            return s.getLocalAddress().getHostAddress();
        }
    }

    /**
     * The address an owner listens on when none is given: the one of this machine's route outwards (no packet is
     * sent: a UDP socket only picks a route), or the loopback address on a machine without a route.
     */
    public static String ownerAddress() {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 9)); // TEST-NET-1: any routed address
            InetAddress a = s.getLocalAddress();
            return a == null || a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        } catch (IOException | RuntimeException e) {
            return "127.0.0.1";
        }
    }

    /** Without the secret. */
    @Override
    public String toString() {
        return "ClusterConfig[name=" + name + ", members=" + members + ", bind=" + bind + ", port=" + port + ", secret=(hidden)]";
    }
}
