package dev.schedbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.model.UserError;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChartsTest {

    private static final ChartData SWEEP = SyntheticRuns.sweep();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ChartKind.class)
    void everyChartRendersHeadlessToADecodablePngOfTheRequestedSize(ChartKind kind) throws Exception {
        assertTrue(GraphicsEnvironment.isHeadless(), "the build runs charts headless");
        assertTrue(kind.hasData(SWEEP), kind + " has data in the sweep");
        JFreeChart chart = Charts.create(kind, SWEEP);
        Path png = dir.resolve(kind.cliName() + ".png");

        PngExport.write(chart, png, 640, 420);

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "decodable PNG");
        assertEquals(640, image.getWidth());
        assertEquals(420, image.getHeight());
        assertEquals(0xFFFFFFFF, image.getRGB(2, 2), "white background");
        assertTrue(distinctColours(image) > 8, "something was drawn");
    }

    @Test
    void eachPolicyKeepsItsColourAndRepeatsGetShadesOfIt() {
        List<java.awt.Color> colours = ChartStyle.colours(SWEEP);
        assertEquals(ChartStyle.colour(Optional.of(Policy.FCFS)), colours.get(0));
        assertEquals(ChartStyle.colour(Optional.of(Policy.PRIORITY)), colours.get(3));
        assertEquals(9, new HashSet<>(colours).size());
        assertNotEquals(colours.get(0), colours.get(1));
    }

    @Test
    void labelsAreAsShortAsTheyCanBeWhileDistinct() {
        assertEquals("fcfs @ 5 req/s", SWEEP.runs().getFirst().label());
        ChartData two = ChartData.labelled(List.of(SWEEP.runs().get(0), SWEEP.runs().get(3)));
        assertEquals(List.of("fcfs", "priority"), two.runs().stream().map(RunSeries::label).toList());
        ChartData same = ChartData.labelled(List.of(SWEEP.runs().get(0), SWEEP.runs().get(0)));
        assertEquals(List.of("fcfs @ 5 req/s #1", "fcfs @ 5 req/s #1"), same.runs().stream().map(RunSeries::label).toList());
    }

    @Test
    void runsWithoutDataGiveAChartThatSaysSo() throws Exception {
        ChartData empty = new ChartData(List.of(RunSeries.of(1, "fcfs", Optional.of(Policy.FCFS), OptionalDouble.empty(),
                List.of(), List.of(), List.of())));
        for (ChartKind kind : ChartKind.values()) {
            assertTrue(!kind.hasData(empty), kind.cliName());
            BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(PngExport.bytes(Charts.create(kind, empty), 300, 200)));
            assertEquals(300, image.getWidth());
        }
    }

    @Test
    void absurdSizesAreRefusedWithTheAllowedRange() {
        UserError error = assertThrows(UserError.class,
                () -> PngExport.write(Charts.create(ChartKind.TTFT_BOX, SWEEP), dir.resolve("x.png"), 20, 20000));
        assertEquals("chart size 20x20000 is out of range; width and height must be 100 to 10000 pixels", error.getMessage());
    }

    @Test
    void chartNamesParseAndUnknownOnesListTheCatalogue() {
        assertEquals(ChartKind.SERVER_QUEUE, ChartKind.parse("server_queue"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ChartKind.parse("pie"));
        assertTrue(error.getMessage().startsWith("unknown chart 'pie'; expected one of ttft-box, e2el-box"), error.getMessage());
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
