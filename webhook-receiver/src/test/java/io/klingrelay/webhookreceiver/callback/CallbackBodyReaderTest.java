package io.klingrelay.webhookreceiver.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.klingrelay.webhookreceiver.callback.CallbackBodyReader.CallbackBody;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class CallbackBodyReaderTest {

    private static final int CAP = 1024;

    private final CallbackBodyReader reader = new CallbackBodyReader(CAP);

    @Test
    void refusesADeclaredContentLengthOverTheCapWithoutReadingAByte() {
        CountingRequest request = new CountingRequest(600L * 1024 * 1024, 600L * 1024 * 1024);

        assertThat(reader.read(request)).isInstanceOf(CallbackBody.TooLarge.class);
        assertThat(request.stream.served).isZero();
    }

    @Test
    void readsAnUndeclaredBodyOverTheCapOnlyUpToOneBytePastIt() {
        CountingRequest request = new CountingRequest(-1, 600L * 1024 * 1024);

        assertThat(reader.read(request)).isInstanceOf(CallbackBody.TooLarge.class);
        assertThat(request.stream.served).isEqualTo(CAP + 1);
    }

    @Test
    void readsABodyOfExactlyTheCapWhole() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/callbacks/a/r/t");
        byte[] body = new byte[CAP];
        Arrays.fill(body, (byte) 'x');
        request.setContent(body);

        assertThat(reader.read(request)).isInstanceOfSatisfying(CallbackBody.Read.class,
                read -> assertThat(read.bytes()).isEqualTo(body));
    }

    @Test
    void readsAnEmptyBodyAsEmpty() {
        assertThat(reader.read(new MockHttpServletRequest("POST", "/callbacks/a/r/t")))
                .isInstanceOfSatisfying(CallbackBody.Read.class, read -> assertThat(read.bytes()).isEmpty());
    }

    @Test
    void reportsABrokenStreamAsUnreadableNamingOnlyTheExceptionClass() {
        CountingRequest request = new CountingRequest(-1, 10);
        request.stream.failWith = new IOException("secret-looking detail from the socket");

        assertThat(reader.read(request)).isEqualTo(new CallbackBody.Unreadable("IOException"));
    }

    @Test
    void refusesACapOutsideItsRange() {
        assertThatThrownBy(() -> new CallbackBodyReader(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallbackBodyReader(Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A request whose body is generated on demand and counts the bytes it served. */
    private static final class CountingRequest extends MockHttpServletRequest {

        private final long declaredLength;
        private final CountingStream stream;

        CountingRequest(long declaredLength, long size) {
            super("POST", "/callbacks/a/r/t");
            this.declaredLength = declaredLength;
            this.stream = new CountingStream(size);
        }

        @Override
        public long getContentLengthLong() {
            return declaredLength;
        }

        @Override
        public int getContentLength() {
            return (int) Math.min(Integer.MAX_VALUE, declaredLength);
        }

        @Override
        public ServletInputStream getInputStream() {
            return stream;
        }
    }

    private static final class CountingStream extends ServletInputStream {

        private long remaining;
        private long served;
        private IOException failWith;

        CountingStream(long size) {
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (failWith != null) {
                throw failWith;
            }
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(length, remaining);
            Arrays.fill(buffer, offset, offset + n, (byte) 'a');
            remaining -= n;
            served += n;
            return n;
        }

        @Override
        public boolean isFinished() {
            return remaining == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
