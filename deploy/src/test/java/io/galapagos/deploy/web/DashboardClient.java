package io.galapagos.deploy.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.deploy.faults.NodeProcesses;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A test's view of a dashboard over HTTP: its JSON, its text, and its live stream read event by event. */
public final class DashboardClient {

    private static final Pattern ANNOUNCED = Pattern.compile("dashboard: (http://\\S+/)");
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public DashboardClient(String base) {
        this.base = base;
    }

    /** The dashboard a child announced on its console; waits for the line. */
    static DashboardClient announcedBy(NodeProcesses.Child child, Duration timeout) {
        NodeProcesses.awaitOutput(child, "dashboard: http", timeout);
        Matcher matcher = ANNOUNCED.matcher(child.stdout());
        if (!matcher.find()) {
            throw new AssertionError("no dashboard address in: " + child.stdout());
        }
        return new DashboardClient(matcher.group(1));
    }

    String base() {
        return base;
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode json(String path) {
        HttpResponse<String> response = get(path, Map.of());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " is not JSON: " + response.body(), e);
        }
    }

    /** One server-sent event. */
    record Event(long id, String type, JsonNode data) {
    }

    /** An open stream; {@link #next} reads the next event, skipping heartbeats. */
    final class Stream implements AutoCloseable {
        private final InputStream body;
        private final BufferedReader reader;

        Stream(InputStream body) {
            this.body = body;
            this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        Event next() throws IOException {
            String type = "message";
            Optional<Long> id = Optional.empty();
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        return new Event(id.orElseThrow(() -> new AssertionError("an event without an id")), type,
                                JSON.readTree(data.toString()));
                    }
                    type = "message";
                    continue;
                }
                if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = Optional.of(Long.parseLong(line.substring(3).strip()));
                }
            }
            throw new IOException("the stream ended");
        }

        List<Event> next(int count) throws IOException {
            List<Event> events = new ArrayList<>();
            while (events.size() < count) {
                events.add(next());
            }
            return events;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    Stream stream(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode());
            }
            return new Stream(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
