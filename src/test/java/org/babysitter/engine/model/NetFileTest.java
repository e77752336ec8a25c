package org.babysitter.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.babysitter.engine.model.loss.LossKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Net files: NetConfig as a list of layers in JSON, written and read back, and every refusal said with the file's name. */
class NetFileTest {
    @TempDir
    Path tmp;

    @Test
    void convNetJsIsWrittenOneLayerALineAndReadBackEqual() throws Exception {
        NetConfig net = NetConfig.convnetjs(3072, 10);
        String json = NetFile.toJson(net);
        assertEquals("""
                {
                  "layers": [
                    {"conv": 5, "filters": 16, "stride": 1, "pad": 2},
                    {"pool": 2},
                    {"conv": 5, "filters": 20, "stride": 1, "pad": 2},
                    {"pool": 2},
                    {"conv": 5, "filters": 20, "stride": 1, "pad": 2},
                    {"pool": 2}
                  ],
                  "activation": "relu",
                  "init": "he",
                  "batchNorm": false,
                  "dropout": 0,
                  "loss": "softmax"
                }
                """, json);
        Path file = tmp.resolve("convnetjs.json");
        NetFile.write(file, net);
        assertEquals(net, NetFile.read(file, 3072, 10));
        assertEquals(json, Files.readString(file));
    }

    @Test
    void everySettingSurvivesTheRoundTrip() throws Exception {
        NetConfig net = new NetConfig(3072, List.of(100, 50), 10, Activation.LEAKY_RELU, true, 0.25, WeightInit.gaussian(1e-3),
                LossKind.SVM, List.of(new ConvStage(8, 4, 2, 1, 0), new ConvStage(12, 3, 1, 1, 2)));
        Path file = tmp.resolve("net.json");
        NetFile.write(file, net);
        NetConfig back = NetFile.read(file, 3072, 10);
        assertEquals(net, back);
        assertEquals("3x32x32-conv 4x4x8 stride 2 pad 1-conv 3x3x12 pad 1 pool 2-100-50-10", back.layout());
        assertTrue(Files.readString(file).contains("\"std\": 1e-3"), Files.readString(file));
        // the lecture's fully connected net, and the class count from the data, not the file
        NetFile.write(file, NetConfig.lecture());
        assertEquals(NetConfig.twoLayer(3072, 50, 3), NetFile.read(file, 3072, 3));
    }

    @Test
    void leftOutSettingsTakeTheClisDefaults() {
        NetConfig conv = NetFile.parse("{\"layers\": [{\"conv\": 5, \"filters\": 16, \"pad\": 2}, {\"pool\": 2},"
                + " {\"conv\": 5, \"filters\": 20, \"pad\": 2}, {\"pool\": 2}, {\"conv\": 5, \"filters\": 20, \"pad\": 2},"
                + " {\"pool\": 2}]}", "n.json", 3072, 10);
        assertEquals(NetConfig.convnetjs(3072, 10), conv);
        assertEquals(NetConfig.lecture(), NetFile.parse("{\"layers\": [{\"affine\": 50}]}", "n.json", 3072, 10));
        // a conv without a pool is a stage without pooling; an affine layer closes it too
        NetConfig open = NetFile.parse("{\"layers\": [{\"conv\": 3, \"filters\": 4}, {\"conv\": 3, \"filters\": 4},"
                + " {\"affine\": 20}]}", "n.json", 3072, 10);
        assertEquals(List.of(new ConvStage(4, 3, 1, 0, 0), new ConvStage(4, 3, 1, 0, 0)), open.conv());
        assertEquals(List.of(20), open.hiddenSizes());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("{\"layers\": [{\"pool\": 2}, {\"conv\": 5, \"filters\": 16}]}",
                        "n.json: layer 1 {\"pool\":2}: a pool needs a conv before it (a pool ends a conv stage)"),
                Arguments.of("{\"layers\": [{\"affine\": 50}, {\"conv\": 5, \"filters\": 16}]}",
                        "n.json: layer 2 {\"conv\":5,\"filters\":16}: a conv cannot follow an affine layer (convs come first)"),
                Arguments.of("{\"layers\": [{\"conv\": 5, \"filters\": 16}, {\"pool\": 2}, {\"pool\": 2}]}",
                        "n.json: layer 3 {\"pool\":2}: a pool must come right after a conv (one pool per conv stage)"),
                Arguments.of("{\"layers\": [{\"conv\": 5, \"filters\": 16}, {\"pool\": 1}]}",
                        "n.json: layer 2 {\"pool\":1}: a pool's side is at least 2, got 1"),
                Arguments.of("{\"layers\": [{\"conv\": 5}]}",
                        "n.json: layer 1 {\"conv\":5}: a conv needs \"filters\", e.g. {\"conv\": 5, \"filters\": 16}"),
                Arguments.of("{\"layers\": [{\"conv\": 5, \"filters\": \"16\"}]}",
                        "n.json: layer 1 {\"conv\":5,\"filters\":\"16\"}: \"filters\" must be a whole number, got \"16\""),
                Arguments.of("{\"layers\": [{\"affine\": 2.5}]}",
                        "n.json: layer 1 {\"affine\":2.5}: \"affine\" must be a whole number, got 2.5"),
                Arguments.of("{\"layers\": [{\"affine\": 50, \"units\": 3}]}",
                        "n.json: layer 1 {\"affine\":50,\"units\":3}: unknown key \"units\" (this layer takes affine)"),
                Arguments.of("{\"layers\": [{\"relu\": true}]}",
                        "n.json: layer 1 {\"relu\":true} is not a conv, pool or affine layer ({\"conv\": 5, \"filters\": 16},"
                                + " {\"pool\": 2}, {\"affine\": 50})"),
                Arguments.of("{\"layers\": [{\"affine\": 50}], \"hidden\": [50]}",
                        "n.json: unknown key \"hidden\" (a net file has layers, activation, init, std, batchNorm, dropout, loss)"),
                Arguments.of("{\"layers\": []}", "n.json: \"layers\" is empty: give at least one conv or affine layer"),
                Arguments.of("{\"activation\": \"relu\"}", "n.json: \"layers\" must be a list of layers, e.g. [{\"conv\": 5,"
                        + " \"filters\": 16, \"pad\": 2}, {\"pool\": 2}, {\"affine\": 50}]"),
                Arguments.of("[1, 2]", "n.json: a net file is a JSON object with \"layers\", e.g. {\"layers\": [{\"affine\": 50}]}"),
                Arguments.of("{\"layers\": [{\"affine\": 50}], \"activation\": \"softplus\"}",
                        "n.json: \"activation\" must be one of relu, leaky_relu, tanh, sigmoid, got \"softplus\""),
                Arguments.of("{\"layers\": [{\"affine\": 50}], \"dropout\": \"0.5\"}",
                        "n.json: \"dropout\" must be a number, got \"0.5\""),
                Arguments.of("{\"layers\": [{\"affine\": 50}], \"dropout\": 1}",
                        "n.json: dropout must be in [0, 1), got 1.0"),
                Arguments.of("{\"layers\": [{\"affine\": 50}], \"batchNorm\": 1}",
                        "n.json: \"batchNorm\" must be true or false, got 1"),
                Arguments.of("{\"layers\": [{\"affine\": 50}], \"init\": \"gaussian\"}",
                        "n.json: \"init\": \"gaussian\" needs \"std\", e.g. 1e-4"),
                Arguments.of("{\"layers\": [{\"affine\": 50}], \"init\": \"he\", \"std\": 0.01}",
                        "n.json: \"std\" would be ignored: \"init\": \"he\" sets each layer's std from its fan-in"),
                // a shape that does not tile: NetConfig's own message, naming the stage and what it is given
                Arguments.of("{\"layers\": [{\"conv\": 5, \"filters\": 16, \"stride\": 2}]}",
                        "n.json: 'conv 5x5x16 stride 2' over 3x32x32: "));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void whatANetConfigCannotSayIsRefusedWithOneMessage(String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetFile.parse(json, "n.json", 3072, 10));
        if (message.endsWith(": ")) {
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        } else {
            assertEquals(message, e.getMessage());
        }
    }

    @Test
    void badJsonAndMissingFilesNameTheFile() throws Exception {
        Path file = tmp.resolve("bad.json");
        Files.writeString(file, "{\"layers\": [{\"affine\": 50}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetFile.read(file, 3072, 10));
        assertTrue(e.getMessage().startsWith(file + ": not JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("(line 2"), e.getMessage());
        Files.writeString(file, "{\"layers\": [{\"affine\": 50}]} {}");
        e = assertThrows(IllegalArgumentException.class, () -> NetFile.read(file, 3072, 10));
        assertTrue(e.getMessage().startsWith(file + ": not JSON: "), e.getMessage());
        Files.writeString(file, "{\"layers\": [{\"affine\": 50}], \"layers\": []}");
        e = assertThrows(IllegalArgumentException.class, () -> NetFile.read(file, 3072, 10));
        assertTrue(e.getMessage().contains("Duplicate field 'layers'"), e.getMessage());
        Path missing = tmp.resolve("missing.json");
        assertEquals(missing + ": no such net file",
                assertThrows(IllegalArgumentException.class, () -> NetFile.read(missing, 3072, 10)).getMessage());
    }

    @Test
    void aNetFileIsANameEndingInJsonOrAFileThatExists() throws Exception {
        assertTrue(NetFile.isNetFile("nets/small.json"));
        assertTrue(NetFile.isNetFile("NET.JSON"));
        assertFalse(NetFile.isNetFile("convnetjs"));
        assertFalse(NetFile.isNetFile("conv 5x5x16 pad 2 pool 2"));
        assertFalse(NetFile.isNetFile(null));
        Path plain = Files.writeString(tmp.resolve("mynet"), "{}");
        assertTrue(NetFile.isNetFile(plain.toString()));
    }
}
