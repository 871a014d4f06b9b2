package io.galapagos.worker.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs inside a jail for {@link JailTest} (JDK classes only) and prints {@code key=value} lines about
 * what it sees. Arguments: {@code report PORT SECRET_FILE DIRECTORY}, or {@code wait} (prints
 * {@code ready} and blocks on stdin).
 */
public final class JailProbe {

    private JailProbe() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("wait")) {
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return;
        }
        int port = Integer.parseInt(args[1]);
        print("uid", uid());
        print("pid", Long.toString(ProcessHandle.current().pid()));
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            print("processes", String.join(",", entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit)).sorted().toList()));
        }
        print("environment", String.join(",", new TreeSet<>(System.getenv().keySet())));
        print("hostname", Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        print("interfaces", String.join(",", Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .map(NetworkInterface::getName).sorted().toList()));
        print("network", connect(port));
        for (String file : List.of(args[2], "/root", "/etc/passwd", "/work", "/home")) {
            print("read " + file, read(Path.of(file)));
        }
        for (String file : List.of("/escaped", "/dev/shm/escaped", "/etc/escaped", args[3] + "/escaped",
                System.getProperty("user.dir") + "/written")) {
            print("write " + file, write(Path.of(file)));
        }
    }

    private static String uid() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .map(l -> l.substring(4).strip().split("\\s+")[0]).findFirst().orElse("?");
    }

    private static String connect(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return "connected";
        } catch (IOException e) {
            return "failed";
        }
    }

    private static String read(Path path) {
        try {
            if (Files.isDirectory(path)) {
                try (Stream<Path> entries = Files.list(path)) {
                    return "listed " + entries.count();
                }
            }
            return "read " + Files.readAllBytes(path).length;
        } catch (IOException e) {
            return "failed";
        }
    }

    private static String write(Path path) {
        try {
            Files.writeString(path, "x");
            return "written";
        } catch (IOException e) {
            return "failed";
        }
    }

    private static void print(String key, String value) {
        System.out.println(key + "=" + value);
    }
}
