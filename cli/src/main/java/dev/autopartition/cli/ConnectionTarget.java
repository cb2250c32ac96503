package dev.autopartition.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where to connect: a JDBC URL and the credentials, resolved from the options and, like psql, the {@code PG*}
 * environment variables. Options win over the URL, the URL over the environment.
 *
 * @param url a {@code jdbc:postgresql:} URL
 * @param user the user, or null to take the one in the URL
 * @param password the password, or null to take the one in the URL (or none)
 */
record ConnectionTarget(
        String url, @Nullable String user, @Nullable String password) {

    @Override
    public String toString() {
        return display();
    }

    /**
     * Resolves the target.
     *
     * @param url {@code --url}: a JDBC URL or a {@code postgresql://} URI, or null to build one from the environment
     * @throws CliException when the URL is not one of those forms or PGHOST names a Unix socket
     */
    static ConnectionTarget resolve(
            @Nullable String url, @Nullable String user, @Nullable String password, Map<String, String> env) {
        if (url == null || url.isBlank()) {
            return fromEnvironment(user, password, env);
        }
        String u = url.trim();
        if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
            return fromUri(u, user, password, env);
        }
        if (!u.startsWith("jdbc:postgresql:")) {
            throw new CliException("--url must be a JDBC URL such as jdbc:postgresql://localhost:5432/app"
                    + " or a URI such as postgresql://user@localhost:5432/app");
        }
        Map<String, String> params = parameters(u);
        String resolvedUser = user != null ? user : params.containsKey("user") ? null : env.get("PGUSER");
        String resolvedPassword =
                password != null ? password : params.containsKey("password") ? null : env.get("PGPASSWORD");
        if (resolvedUser == null && !params.containsKey("user")) {
            resolvedUser = System.getProperty("user.name");
        }
        return new ConnectionTarget(u, resolvedUser, resolvedPassword);
    }

    private static ConnectionTarget fromEnvironment(
            @Nullable String user, @Nullable String password, Map<String, String> env) {
        String host = env.getOrDefault("PGHOST", "localhost");
        if (host.startsWith("/")) {
            throw new CliException("PGHOST=" + host + " names a Unix socket directory; autopartition"
                    + " connects over TCP. Fix: set PGHOST to a host name (such as localhost), or give --url.");
        }
        String resolvedUser = user != null ? user : env.getOrDefault("PGUSER", System.getProperty("user.name"));
        String database = env.getOrDefault("PGDATABASE", resolvedUser);
        String[] hosts = host.split(",", -1);
        String[] ports = env.getOrDefault("PGPORT", "5432").split(",", -1);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            String port = ports[Math.min(i, ports.length - 1)].trim();
            addresses.add(hostPart(hosts[i].trim()) + ":" + (port.isEmpty() ? "5432" : port));
        }
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(String.join(",", addresses))
                .append('/')
                .append(URLEncoder.encode(database, StandardCharsets.UTF_8));
        Map<String, String> params = new LinkedHashMap<>();
        putIfSet(params, "sslmode", env.get("PGSSLMODE"));
        putIfSet(params, "ApplicationName", env.get("PGAPPNAME"));
        putIfSet(params, "connectTimeout", env.get("PGCONNECT_TIMEOUT"));
        putIfSet(params, "options", env.get("PGOPTIONS"));
        appendParameters(url, params);
        return new ConnectionTarget(url.toString(), resolvedUser, password != null ? password : env.get("PGPASSWORD"));
    }

    private static ConnectionTarget fromUri(
            String text, @Nullable String user, @Nullable String password, Map<String, String> env) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new CliException("--url is not a valid URI (" + e.getReason() + ")");
        }
        String uriUser = null;
        String uriPassword = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            uriUser = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            uriPassword = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String resolvedUser = user != null
                ? user
                : uriUser != null ? uriUser : env.getOrDefault("PGUSER", System.getProperty("user.name"));
        String database =
                path.length() > 1 ? path.substring(1) : URLEncoder.encode(resolvedUser, StandardCharsets.UTF_8);
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(hostPart(host))
                .append(':')
                .append(port)
                .append('/')
                .append(database);
        if (uri.getRawQuery() != null) {
            url.append('?').append(uri.getRawQuery());
        }
        String resolvedPassword =
                password != null ? password : uriPassword != null ? uriPassword : env.get("PGPASSWORD");
        return new ConnectionTarget(url.toString(), resolvedUser, resolvedPassword);
    }

    private static String hostPart(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static void putIfSet(Map<String, String> params, String name, @Nullable String value) {
        if (value != null && !value.isBlank()) {
            params.put(name, value);
        }
    }

    private static void appendParameters(StringBuilder url, Map<String, String> params) {
        char separator = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(separator)
                    .append(p.getKey())
                    .append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** The URL's query parameters, names as written. */
    static Map<String, String> parameters(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return params;
        }
        for (String pair : url.substring(q + 1).split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    /** The URL with any password parameter masked, and the user: safe to print. */
    String display() {
        String shown = url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
        return shown + (user == null ? "" : " as " + user);
    }

    /** A data source for the target; the application name is {@code autopartition} unless the URL sets one. */
    PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setUrl(url);
        } catch (IllegalArgumentException e) {
            throw new CliException("--url is not a valid PostgreSQL JDBC URL: " + display(), e);
        }
        if (user != null) {
            dataSource.setUser(user);
        }
        if (password != null) {
            dataSource.setPassword(password);
        }
        boolean named = parameters(url).keySet().stream()
                .anyMatch(k -> k.toLowerCase(Locale.ROOT).equals("applicationname"));
        if (!named) {
            dataSource.setApplicationName("autopartition");
        }
        return dataSource;
    }
}
