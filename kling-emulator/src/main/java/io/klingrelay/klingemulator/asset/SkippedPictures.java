package io.klingrelay.klingemulator.asset;

import java.nio.ByteBuffer;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.io.model.NALUnit;
import org.jcodec.codecs.h264.io.model.NALUnitType;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceHeader;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.codecs.h264.io.write.CAVLCWriter;
import org.jcodec.codecs.h264.io.write.SliceHeaderWriter;
import org.jcodec.common.io.BitWriter;
import org.jcodec.common.model.Size;

/**
 * H.264 P pictures that repeat the previous picture: one slice whose {@code mb_skip_run} covers every macroblock
 * (ISO/IEC 14496-10 §7.3.4, CAVLC), under the SPS and PPS jcodec's encoder wrote for the IDR picture (same
 * {@link H264Encoder#initSPS}/{@link H264Encoder#initPPS} values). Picture {@code n} has {@code frame_num = n} and
 * {@code pic_order_cnt_lsb = 2n}, both modulo their SPS ranges, like the encoder's own P pictures.
 */
final class SkippedPictures {

    private final SeqParameterSet sps;
    private final PictureParameterSet pps;
    private final int macroblocks;
    private final int maxFrameNum;
    private final int maxPicOrderCnt;

    SkippedPictures(H264Encoder encoder, VideoFormat format) {
        this.sps = encoder.initSPS(new Size(format.width(), format.height()));
        this.pps = encoder.initPPS();
        this.macroblocks = (sps.picWidthInMbsMinus1 + 1) * (sps.picHeightInMapUnitsMinus1 + 1);
        this.maxFrameNum = 1 << (sps.log2MaxFrameNumMinus4 + 4);
        this.maxPicOrderCnt = 1 << (sps.log2MaxPicOrderCntLsbMinus4 + 4);
    }

    /** @return the Annex B access unit (start code, NAL header, escaped slice) of picture {@code frame} ≥ 1 */
    ByteBuffer frame(int frame) {
        SliceHeader header = new SliceHeader();
        header.sliceType = SliceType.P;
        header.sps = sps;
        header.pps = pps;
        header.frameNum = frame % maxFrameNum;
        header.picOrderCntLsb = (frame << 1) % maxPicOrderCnt;
        BitWriter bits = new BitWriter(ByteBuffer.allocate(64));
        SliceHeaderWriter.write(header, false, 3, bits);
        CAVLCWriter.writeUE(bits, macroblocks);
        bits.write1Bit(1);
        bits.flush();
        ByteBuffer rbsp = bits.getBuffer();
        rbsp.flip();
        ByteBuffer out = ByteBuffer.allocate(16 + rbsp.remaining() * 2);
        out.putInt(1);
        new NALUnit(NALUnitType.NON_IDR_SLICE, 3).write(out);
        H264Utils.escapeNAL(rbsp, out);
        return out.flip();
    }
}
