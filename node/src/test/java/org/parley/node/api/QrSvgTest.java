package org.parley.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link QrSvg}: the SVG's modules, read back and decoded by zxing, give the text. */
public class QrSvgTest {

    private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern MODULE = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z");

    @Test
    void anInviteLinkRoundTrips() throws Exception {
        String link = "parley:invite?id=parley1qjlre54m09pptkvcqahfq3ncvf3lw372th0lfntrl9q88xu2tu97s8y0aqy"
                + "&addr=%2Fip4%2F127.0.0.1%2Ftcp%2F4001&name=Ren%C3%A9e";
        String svg = QrSvg.of(link);
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        assertThat(decode(svg)).isEqualTo(link);
    }

    /** Reads the modules of an SVG drawn by {@link QrSvg} and decodes them with zxing. */
    public static String decode(String svg) throws Exception {
        Matcher box = VIEW_BOX.matcher(svg);
        assertThat(box.find()).isTrue();
        int size = Integer.parseInt(box.group(1));
        int inner = size - 2 * QrSvg.QUIET_ZONE;
        BitMatrix matrix = new BitMatrix(inner);
        Matcher module = MODULE.matcher(svg);
        while (module.find()) {
            matrix.set(Integer.parseInt(module.group(1)) - QrSvg.QUIET_ZONE,
                    Integer.parseInt(module.group(2)) - QrSvg.QUIET_ZONE);
        }
        return new Decoder().decode(matrix).getText();
    }
}
