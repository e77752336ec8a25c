package org.babysitter.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import java.util.Set;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.EndpointQualifier;
import org.junit.jupiter.api.Test;

/** The cluster's settings: validated, the secret kept out of sight, and a member that listens to nobody it was not told of. */
class ClusterConfigTest {
    static ClusterConfig config(String secret) {
        return new ClusterConfig("lab-203", secret, List.of("127.0.0.1:5801", "10.0.0.7"), "127.0.0.1", 5802);
    }

    @Test
    void theClusterNameDependsOnTheSecretAndTheSecretIsNeverPrinted() {
        ClusterConfig a = config("correct horse battery");
        ClusterConfig b = config("correct horse battery staple");
        assertTrue(a.clusterName().startsWith("lab-203-"), a.clusterName());
        assertEquals(a.clusterName(), config("correct horse battery").clusterName(), "the same secret, the same name");
        assertNotEquals(a.clusterName(), b.clusterName(), "another secret, another name");
        assertFalse(a.clusterName().contains("horse"));
        assertFalse(a.toString().contains("horse"), a.toString());
        assertEquals(List.of("127.0.0.1:5801", "10.0.0.7:5701"), a.memberAddresses());
    }

    @Test
    void badSettingsAreRefusedInWords() {
        assertThrows(IllegalArgumentException.class, () -> config("short"));
        assertThrows(IllegalArgumentException.class, () -> new ClusterConfig("lab 203", "correct horse battery", List.of(), "127.0.0.1", 5701));
        assertThrows(IllegalArgumentException.class, () -> new ClusterConfig("lab", "correct horse battery", List.of("a b"), "127.0.0.1", 5701));
        assertThrows(IllegalArgumentException.class, () -> new ClusterConfig("lab", "correct horse battery", List.of("h:70000"), "127.0.0.1", 5701));
        IllegalArgumentException any = assertThrows(IllegalArgumentException.class,
                () -> new ClusterConfig("lab", "correct horse battery", List.of(), "0.0.0.0", 5701));
        assertTrue(any.getMessage().contains("every interface"), any.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClusterConfig("lab", "correct horse battery", List.of(), "127.0.0.1", 0));
    }

    @Test
    void theMemberJoinsOnlyTheGivenAddressesWithoutMulticastPhoneHomeOrRest() {
        ClusterConfig c = config("correct horse battery");
        Config hz = ClusterNode.hazelcastConfig(c, null);
        AdvancedNetworkConfig net = hz.getAdvancedNetworkConfig();
        assertTrue(net.isEnabled());
        assertEquals(Set.of(EndpointQualifier.MEMBER), net.getEndpointConfigs().keySet(), "members only: no client, REST or Memcache socket");
        JoinConfig join = net.getJoin();
        assertFalse(join.getMulticastConfig().isEnabled(), "no multicast");
        assertFalse(join.getAutoDetectionConfig().isEnabled(), "no auto-detection");
        assertFalse(join.getAwsConfig().isEnabled() || join.getGcpConfig().isEnabled() || join.getAzureConfig().isEnabled()
                || join.getKubernetesConfig().isEnabled() || join.getEurekaConfig().isEnabled(), "no cloud discovery");
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertEquals(List.of("127.0.0.1:5801", "10.0.0.7:5701"), join.getTcpIpConfig().getMembers());
        assertEquals("false", hz.getProperty("hazelcast.phone.home.enabled"));
        assertEquals("false", hz.getProperty("hazelcast.socket.bind.any"), "one address, not every interface");
        ServerSocketEndpointConfig members = (ServerSocketEndpointConfig) net.getEndpointConfigs().get(EndpointQualifier.MEMBER);
        assertTrue(members.getInterfaces().isEnabled());
        assertEquals(List.of("127.0.0.1"), List.copyOf(members.getInterfaces().getInterfaces()));
        assertEquals(5802, members.getPort());
        assertFalse(members.isPortAutoIncrement(), "one port");
        assertFalse(hz.getRestConfig().isEnabled());
        assertFalse(hz.getJetConfig().isEnabled());
        assertEquals(c.clusterName(), hz.getClusterName());
        assertEquals(ClusterNode.VERSION, hz.getMemberAttributeConfig().getAttributes().get(ClusterNode.VERSION_ATTRIBUTE));
        assertTrue(hz.getSerializationConfig().getJavaSerializationFilterConfig().getWhitelist().getClasses()
                .contains(TrialTask.class.getName()), "Java deserialization filtered");
    }
}
