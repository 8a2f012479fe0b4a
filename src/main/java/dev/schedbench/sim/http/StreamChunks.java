package dev.schedbench.sim.http;

import dev.schedbench.sim.http.GenerationRequest.Api;
import dev.schedbench.sim.http.GenerationRequest.StreamUsage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The server-sent events of one streamed response, byte for byte as vLLM 0.6 writes them: completion
 * chunks with {@code "usage":null} ({@code model_dump_json()}), chat chunks without unset fields
 * ({@code exclude_unset=True}), a final usage chunk without nulls, then {@code data: [DONE]}. Built
 * from pre-encoded pieces, with no JSON library on this path: it runs once per token.
 */
final class StreamChunks {

    private static final byte[] DONE = ascii("data: [DONE]\n\n");
    private static final byte[] EVENT_END = ascii("\n\n");

    private final Api api;
    private final StreamUsage usage;
    private final byte[] head;
    private final byte[] tokenOpen;
    private final byte[] usageHead;
    private final int promptTokens;

    StreamChunks(Api api, String id, long created, String modelJson, StreamUsage usage, int promptTokens) {
        this.api = api;
        this.usage = usage;
        this.promptTokens = promptTokens;
        String object = switch (api) {
            case COMPLETIONS -> "text_completion";
            case CHAT -> "chat.completion.chunk";
        };
        this.head = utf8("data: {\"id\":\"" + id + "\",\"object\":\"" + object + "\",\"created\":" + created
                + ",\"model\":" + modelJson + ",\"choices\":[");
        this.tokenOpen = ascii(switch (api) {
            case COMPLETIONS -> "{\"index\":0,\"text\":\"";
            case CHAT -> "{\"index\":0,\"delta\":{\"content\":\"";
        });
        this.usageHead = utf8("data: {\"id\":\"" + id + "\",\"object\":\"" + object + "\",\"created\":" + created
                + ",\"model\":" + modelJson + ",\"choices\":[],\"usage\":");
    }

    /** Chat's opening chunk, which vLLM sends with the first token: the assistant role and empty content. */
    void role(Bytes out) {
        if (api == Api.CHAT) {
            out.put(head).put("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                    + "\"finish_reason\":null}]");
            if (usage == StreamUsage.CONTINUOUS) {
                usageJson(out.put(",\"usage\":"), 0);
            }
            out.put("}").put(EVENT_END);
        }
    }

    /**
     * One token's chunk. {@code finishReason} is null except on the last one; {@code jsonText} is the
     * token's text, already JSON-escaped. {@code completionTokens} counts this token.
     */
    void token(Bytes out, byte[] jsonText, String finishReason, int completionTokens) {
        out.put(head).put(tokenOpen).put(jsonText);
        switch (api) {
            case COMPLETIONS -> {
                out.put("\",\"logprobs\":null,\"finish_reason\":");
                finishReason(out, finishReason);
                out.put(",\"stop_reason\":null}],\"usage\":");
                if (usage == StreamUsage.CONTINUOUS) {
                    usageJson(out, completionTokens);
                } else {
                    out.put("null");
                }
            }
            case CHAT -> {
                out.put("\"},\"logprobs\":null,\"finish_reason\":");
                finishReason(out, finishReason);
                out.put(finishReason == null ? "}]" : ",\"stop_reason\":null}]");
                if (usage == StreamUsage.CONTINUOUS) {
                    usageJson(out.put(",\"usage\":"), completionTokens);
                }
            }
        }
        out.put("}").put(EVENT_END);
    }

    /** The end of a finished stream: the usage chunk if asked for, then {@code [DONE]}. */
    void end(Bytes out, int completionTokens) {
        if (usage != StreamUsage.NONE) {
            usageJson(out.put(usageHead), completionTokens).put("}").put(EVENT_END);
        }
        out.put(DONE);
    }

    /** vLLM's mid-stream error event, then {@code [DONE]}. */
    static void error(Bytes out, byte[] errorJson) {
        out.put("data: {\"error\":").put(errorJson).put("}").put(EVENT_END).put(DONE);
    }

    private Bytes usageJson(Bytes out, int completionTokens) {
        return out.put("{\"prompt_tokens\":").put(promptTokens).put(",\"total_tokens\":")
                .put(promptTokens + completionTokens).put(",\"completion_tokens\":").put(completionTokens).put("}");
    }

    private static void finishReason(Bytes out, String finishReason) {
        if (finishReason == null) {
            out.put("null");
        } else {
            out.put("\"").put(finishReason).put("\"");
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A growable byte array, filled on the writer thread and handed to one socket write at a time:
     * each exchange keeps one and refills it once its previous write has completed, so the steady
     * state allocates nothing per token.
     */
    static final class Bytes {

        /** Room before the content for an HTTP/1.1 chunk's size line: up to 8 hex digits and CRLF. */
        private static final int CHUNK_HEAD_ROOM = 10;
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        private byte[] data;
        private int size;
        private ByteBuffer view;

        Bytes(int capacity) {
            data = new byte[Math.max(capacity, CHUNK_HEAD_ROOM + 2)];
            view = ByteBuffer.wrap(data);
            size = CHUNK_HEAD_ROOM;
        }

        /**
         * Empties the buffer for the next write, keeping room to frame it as a chunk; only once the
         * previous write has completed.
         */
        Bytes clear() {
            size = CHUNK_HEAD_ROOM;
            return this;
        }

        boolean isEmpty() {
            return size == CHUNK_HEAD_ROOM;
        }

        Bytes put(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, data, size, bytes.length);
            size += bytes.length;
            return this;
        }

        /** Appends ASCII text (the templates' fixed parts and numbers). */
        Bytes put(String ascii) {
            int length = ascii.length();
            ensure(length);
            for (int i = 0; i < length; i++) {
                data[size++] = (byte) ascii.charAt(i);
            }
            return this;
        }

        /** Appends a non-negative number in decimal. */
        Bytes put(int number) {
            int digits = 1;
            for (int rest = number / 10; rest > 0; rest /= 10) {
                digits++;
            }
            ensure(digits);
            int end = size + digits;
            int rest = number;
            for (int i = end - 1; i >= size; i--) {
                data[i] = (byte) ('0' + rest % 10);
                rest /= 10;
            }
            size = end;
            return this;
        }

        /** Bytes of content appended since {@link #clear()}. */
        int size() {
            return size - CHUNK_HEAD_ROOM;
        }

        /** The content, as a buffer over this array (valid until the next {@link #clear()}). */
        ByteBuffer toByteBuffer() {
            return view.limit(size).position(CHUNK_HEAD_ROOM);
        }

        /**
         * The content framed as one HTTP/1.1 chunk, size line before it and CRLF after it, as a buffer
         * over this array (valid until the next {@link #clear()}); the buffer then holds that CRLF.
         */
        ByteBuffer toChunk() {
            int length = size();
            int head = CHUNK_HEAD_ROOM - 2;
            data[head] = '\r';
            data[head + 1] = '\n';
            for (int rest = length; rest > 0 || head == CHUNK_HEAD_ROOM - 2; rest >>>= 4) {
                data[--head] = HEX[rest & 0xF];
            }
            ensure(2);
            data[size] = '\r';
            data[size + 1] = '\n';
            return view.limit(size + 2).position(head);
        }

        private void ensure(int more) {
            if (size + more > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
                view = ByteBuffer.wrap(data);
            }
        }
    }
}
