package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.internal.spec.LocalPeriod;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The time grid as a property, written once and run against both maintainers ({@link JavaTimeGridPropertyIT},
 * {@link DatabaseTimeGridPropertyIT}): across real calendar oddities (a day that does not exist locally, daylight
 * saving at midnight, offsets of +05:45 and -03:30, a 30-minute daylight-saving shift, offsets that moved by half an
 * hour), for hourly, 6-hourly, daily, weekly, monthly, quarterly and yearly rules, the partitions read back from
 * PostgreSQL's catalog after every maintenance run are non-empty, contiguous and non-overlapping, each bound is the
 * start of a local period (or the first instant after one that does not exist, where the clocks jump over it), no
 * partition holds more than one local period, and no run failed.
 *
 * <p>Zones: the six the issue names plus a broad, deterministic sample of Java's zone ids, one of each set of aliases:
 * every 4th zone whose offset moved by other than one hour between 2010 and 2030 (Troll's two hours, Pyongyang's
 * half hour ...), every 14th that changes its clocks at local midnight, every 8th with an offset that is not a whole
 * hour, and every 90th of the rest: 13 zones with the tzdb of JDK 17.0.15. {@code GridZonesTest} checks the Java
 * grid in every zone, without a database. A zone is used only where Java's tzdb and the
 * server's time-zone data agree on its offsets from 2010 to 2030 (compared at each of Java's transitions and at noon
 * UTC on every day), because the Java maintainer computes bounds with Java's rules while every check reads local
 * times from PostgreSQL ({@code AT TIME ZONE}); the six named zones must agree.
 *
 * <p>Clock: each table has its own instants, in order: one increment before and one and a half after a few of its
 * zone's transitions (for hours and days; for weeks, months, quarters and years the transitions within a day and a
 * half of a period start), and one instant early in 2010. A retention of one increment keeps each table to
 * about three partitions, so a jump creates only the partitions around the new instant and removes the old ones.
 * Zones run one after another, their tables dropped afterwards, so each run reads a small catalog.
 */
@Timeout(600)
abstract class TimeGridProperty {
    static final List<String> NAMED = List.of(
            "Pacific/Apia",
            "Australia/Lord_Howe",
            "Asia/Kathmandu",
            "America/St_Johns",
            "America/Santiago",
            "Europe/London");

    static final Instant FROM = Instant.parse("2010-01-01T00:00:00Z");
    static final Instant TO = Instant.parse("2031-01-01T00:00:00Z");
    /** Transitions visited per zone for hourly, 6-hourly and daily rules (odd ones first, spread over the years). */
    static final int TRANSITIONS_PER_ZONE = 2;
    /** Every n-th zone whose offset moved by other than one hour joins the sample. */
    static final int ODD_SHIFT_STRIDE = 4;
    /** Every n-th zone that changes its clocks at midnight joins the sample. */
    static final int MIDNIGHT_STRIDE = 14;
    /** Every n-th zone with an offset that is not a whole hour joins the sample. */
    static final int HALF_HOUR_STRIDE = 8;
    /** Every n-th zone with nothing odd between 2010 and 2030 joins the sample. */
    static final int ORDINARY_STRIDE = 90;

    /** One table: a zone, a period, and the instants at which it is maintained. */
    record Case(String table, String zone, LocalPeriod period, List<Instant> visits) {}

    abstract PostgresExtension pg();

    /** Who the history must say ran. */
    abstract MaintenanceRun.Runner runner();

    /** Prepares an instance (installs what the maintainer needs). */
    void prepare(AutoPartition ap) {}

    /** Runs maintenance of one table at an instant. */
    abstract void maintain(AutoPartition ap, Fixtures.MovableClock clock, TableName table, Instant now);

    @Test
    void boundsAreLocalPeriodStartsInEveryZoneForEveryIncrement() {
        long started = System.nanoTime();
        List<String> zones = zones();
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2010-01-01T00:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg().dataSource())
                .clock(clock)
                .lockTimeout(Duration.ofSeconds(2))
                .build();
        prepare(ap);
        pg().execute("CREATE SCHEMA grid");
        int tables = 0;
        int runs = 0;
        int checked = 0;
        // a zone at a time, so the catalog stays small: each run reads every managed table's partitions
        for (String zone : zones) {
            List<Case> cases = new ArrayList<>();
            StringBuilder ddl = new StringBuilder();
            for (LocalPeriod period : LocalPeriod.values()) {
                Case c = new Case("t" + tables++, zone, period, visits(ZoneId.of(zone), period));
                cases.add(c);
                ddl.append("CREATE TABLE grid.")
                        .append(c.table())
                        .append(" (ts timestamptz NOT NULL) PARTITION BY RANGE (ts);\n");
            }
            pg().execute(ddl.toString());
            for (Case c : cases) {
                ap.autoPartition(AutoPartitionSpec.builder(TableName.of("grid", c.table()), "ts")
                        .increment(c.period().increment)
                        .timeZone(c.zone())
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        .retention(c.period().increment) // keeps a table to three partitions or so
                        .enabled(false)
                        .build());
            }
            pg().execute("UPDATE autopartition.managed_table SET enabled = true");
            TreeMap<Instant, List<Case>> timeline = new TreeMap<>();
            cases.forEach(c -> c.visits()
                    .forEach(v ->
                            timeline.computeIfAbsent(v, x -> new ArrayList<>()).add(c)));
            for (Map.Entry<Instant, List<Case>> visit : timeline.entrySet()) {
                for (Case c : visit.getValue()) {
                    maintain(ap, clock, TableName.of("grid", c.table()), visit.getKey());
                    runs++;
                }
                checked += check(zone, visit.getValue(), visit.getKey());
            }
            assertThat(ap.health(RunHistory.catalog(ap)).findings())
                    .as("health findings about failed runs in %s", zone)
                    .filteredOn(f -> f.kind() == HealthFinding.Kind.LAST_RUN_FAILED)
                    .isEmpty();
            StringBuilder drop = new StringBuilder();
            cases.forEach(c -> drop.append("DROP TABLE grid.").append(c.table()).append(";\n"));
            drop.append("DELETE FROM autopartition.managed_table;");
            pg().execute(drop.toString());
        }

        assertThat(Fixtures.strings(pg(), """
                        SELECT table_name || ' at ' || started_at || ': ' || coalesce(errors, '')
                          FROM autopartition.maintenance_run WHERE outcome = 'failed' ORDER BY id""")).as("failed runs in the history").isEmpty();
        String work = Fixtures.string(
                pg(),
                "SELECT sum(created) || ' created, ' || sum(dropped) || ' dropped'"
                        + " FROM autopartition.maintenance_run WHERE run_by = '"
                        + runner().name().toLowerCase(java.util.Locale.ROOT) + "'");
        assertThat(work).as("the maintainer under test did the work").isNotNull();
        System.out.printf(
                java.util.Locale.ROOT,
                "%s: %d zones x %d periods = %d tables, %d runs (%s), %d partitions checked, %d s%n",
                getClass().getSimpleName(),
                zones.size(),
                LocalPeriod.values().length,
                tables,
                runs,
                work,
                checked,
                (System.nanoTime() - started) / 1_000_000_000);
    }

    /** A partition as PostgreSQL's catalog has it, with its bounds seen on the zone's wall clock. */
    record Seen(
            String table,
            String name,
            long lower,
            long upper,
            LocalDateTime lowerLocal,
            LocalDateTime beforeLowerLocal,
            LocalDateTime upperLocal,
            LocalDateTime beforeUpperLocal) {}

    /** Checks every table of a zone that was just maintained; returns how many partitions it looked at. */
    private int check(String zone, List<Case> cases, Instant now) {
        Map<String, LocalPeriod> periods = new LinkedHashMap<>();
        cases.forEach(c -> periods.put(c.table(), c.period()));
        Map<String, List<Seen>> seen = read(zone, periods.keySet());
        int count = 0;
        for (Map.Entry<String, LocalPeriod> table : periods.entrySet()) {
            LocalPeriod period = table.getValue();
            List<Seen> parts = seen.getOrDefault(table.getKey(), List.of());
            String what = period.increment + " in " + zone + " at " + now;
            assertThat(parts).as("partitions of %s", what).isNotEmpty();
            for (int i = 0; i < parts.size(); i++) {
                Seen p = parts.get(i);
                String where = what + ": " + p.name() + " [" + p.lowerLocal() + ", " + p.upperLocal() + ") local";
                assertThat(p.lower()).as("non-empty: %s", where).isLessThan(p.upper());
                if (i > 0) {
                    assertThat(p.lower())
                            .as(
                                    "contiguous, no overlap: %s after %s",
                                    where, parts.get(i - 1).name())
                            .isEqualTo(parts.get(i - 1).upper());
                }
                checkBound(period, p.lowerLocal(), p.beforeLowerLocal(), "lower bound of " + where);
                checkBound(period, p.upperLocal(), p.beforeUpperLocal(), "upper bound of " + where);
                LocalDateTime start = period.floor(p.lowerLocal());
                assertThat(p.beforeUpperLocal())
                        .as("one local period (from %s) at most: %s", start, where)
                        .isBefore(period.next(start));
                count++;
            }
        }
        return count;
    }

    /**
     * A bound is a local period start, or the first instant after one that does not exist: the wall clock jumps over
     * a period start at that instant (from {@code before}, a microsecond earlier, to {@code local}).
     */
    private static void checkBound(LocalPeriod period, LocalDateTime local, LocalDateTime before, String where) {
        LocalDateTime start = period.floor(local);
        if (start.equals(local)) {
            return;
        }
        assertThat(before)
                .as(
                        "%s: %s is not a period start, so the clocks must jump over %s there (they read %s a microsecond"
                                + " before)",
                        where, local, start, before)
                .isBefore(start);
    }

    private Map<String, List<Seen>> read(String zone, Set<String> tables) {
        String sql = """
                SELECT p.relname, c.relname, b.lo, b.hi,
                       to_char(b.lo AT TIME ZONE ?, 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                       to_char((b.lo - interval '1 microsecond') AT TIME ZONE ?, 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                       to_char(b.hi AT TIME ZONE ?, 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                       to_char((b.hi - interval '1 microsecond') AT TIME ZONE ?, 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                       (extract(epoch FROM b.lo) * 1000000)::bigint, (extract(epoch FROM b.hi) * 1000000)::bigint
                  FROM pg_catalog.pg_inherits i
                  JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
                  JOIN pg_catalog.pg_namespace n ON n.oid = p.relnamespace
                  JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                 CROSS JOIN LATERAL (SELECT pg_catalog.regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid),
                                            $$^FOR VALUES FROM \\('([^']*)'\\) TO \\('([^']*)'\\)$$) AS m) r
                 CROSS JOIN LATERAL (SELECT r.m[1]::timestamptz AS lo, r.m[2]::timestamptz AS hi) b
                 WHERE n.nspname = 'grid' AND p.relname = ANY (?)
                 ORDER BY p.relname, b.lo""";
        Map<String, List<Seen>> result = new TreeMap<>();
        try (Connection connection = pg().connection()) {
            try (Statement st = connection.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
            }
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 1; i <= 4; i++) {
                    ps.setString(i, zone);
                }
                Array names = connection.createArrayOf("text", tables.toArray());
                ps.setArray(5, names);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.computeIfAbsent(rs.getString(1), t -> new ArrayList<>())
                                .add(new Seen(
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getLong(9),
                                        rs.getLong(10),
                                        LocalDateTime.parse(rs.getString(5)),
                                        LocalDateTime.parse(rs.getString(6)),
                                        LocalDateTime.parse(rs.getString(7)),
                                        LocalDateTime.parse(rs.getString(8))));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }

    /**
     * The named zones and a broad sample of Java's zone ids (one of each set of aliases), where Java's and the
     * server's rules agree: every n-th of the zones whose offset moved by other than one hour, of those that change
     * their clocks at local midnight, of those with an offset that is not a whole hour, and of the rest.
     */
    private List<String> zones() {
        Set<String> known = new TreeSet<>(
                Fixtures.strings(pg(), "SELECT name FROM pg_catalog.pg_timezone_names WHERE name LIKE '%/%'"));
        Set<String> sample = new LinkedHashSet<>(NAMED);
        Set<String> seen = new LinkedHashSet<>(); // Java's zone ids include aliases (Australia/LHI): one of each
        NAMED.forEach(id -> seen.add(fingerprint(ZoneId.of(id))));
        int[] counts = new int[4];
        for (String id : new TreeSet<>(ZoneId.getAvailableZoneIds())) {
            if (!id.contains("/") || id.startsWith("Etc/") || id.startsWith("SystemV/") || !known.contains(id)) {
                continue;
            }
            ZoneId zone = ZoneId.of(id);
            if (!seen.add(fingerprint(zone))) {
                continue;
            }
            List<ZoneOffsetTransition> transitions = transitions(zone);
            if (transitions.stream().anyMatch(t -> Math.abs(t.getDuration().toSeconds()) != 3600)) {
                if (counts[3]++ % ODD_SHIFT_STRIDE == 0) {
                    sample.add(id);
                }
            } else if (transitions.stream().anyMatch(TimeGridProperty::atMidnight)) {
                if (counts[0]++ % MIDNIGHT_STRIDE == 0) {
                    sample.add(id);
                }
            } else if (zone.getRules().getOffset(FROM).getTotalSeconds() % 3600 != 0) {
                if (counts[1]++ % HALF_HOUR_STRIDE == 0) {
                    sample.add(id);
                }
            } else if (counts[2]++ % ORDINARY_STRIDE == 0) {
                sample.add(id);
            }
        }
        List<String> zones = new ArrayList<>();
        List<String> disagree = new ArrayList<>();
        for (String zone : sample) {
            if (agree(ZoneId.of(zone))) {
                zones.add(zone);
            } else {
                disagree.add(zone);
            }
        }
        assertThat(disagree)
                .as("zones the issue names, where Java's tzdb and the server's time-zone data differ 2010-2030")
                .doesNotContainAnyElementsOf(NAMED);
        System.out.printf(
                java.util.Locale.ROOT,
                "%s: %d zones %s; left out where Java and PostgreSQL disagree: %s%n",
                getClass().getSimpleName(),
                zones.size(),
                zones,
                disagree);
        return zones;
    }

    /** A zone's offsets from 2010 to 2030, to tell aliases apart from zones of their own. */
    private static String fingerprint(ZoneId zone) {
        return zone.getRules().getOffset(FROM) + " " + transitions(zone);
    }

    private static boolean atMidnight(ZoneOffsetTransition t) {
        return t.getDateTimeBefore().toLocalTime().equals(LocalTime.MIDNIGHT)
                || t.getDateTimeAfter().toLocalTime().equals(LocalTime.MIDNIGHT);
    }

    private static boolean oddTransition(ZoneOffsetTransition t) {
        return Math.abs(t.getDuration().toSeconds()) != 3600 || atMidnight(t);
    }

    private static List<ZoneOffsetTransition> transitions(ZoneId zone) {
        ZoneRules rules = zone.getRules();
        List<ZoneOffsetTransition> result = new ArrayList<>();
        ZoneOffsetTransition t = rules.nextTransition(FROM);
        while (t != null && t.getInstant().isBefore(TO)) {
            result.add(t);
            t = rules.nextTransition(t.getInstant());
        }
        return result;
    }

    /** Whether the server sees the zone's offsets as Java does, at each transition and every day, 2010-2030. */
    private boolean agree(ZoneId zone) {
        ZoneRules rules = zone.getRules();
        List<Instant> instants = new ArrayList<>();
        for (ZoneOffsetTransition t : transitions(zone)) {
            instants.add(t.getInstant().minusSeconds(1));
            instants.add(t.getInstant());
        }
        for (Instant day = FROM.plus(Duration.ofHours(12)); day.isBefore(TO); day = day.plus(Duration.ofDays(1))) {
            instants.add(day);
        }
        Long[] seconds = instants.stream().map(Instant::getEpochSecond).toArray(Long[]::new);
        Integer[] offsets =
                instants.stream().map(i -> rules.getOffset(i).getTotalSeconds()).toArray(Integer[]::new);
        String sql = """
                SELECT count(*) FROM unnest(?::bigint[], ?::int[]) AS x(s, off)
                 WHERE extract(epoch FROM (to_timestamp(x.s) AT TIME ZONE ?) - (to_timestamp(x.s) AT TIME ZONE 'UTC'))
                       <> x.off""";
        try (Connection connection = pg().connection();
                PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setArray(1, connection.createArrayOf("bigint", seconds));
            ps.setArray(2, connection.createArrayOf("integer", offsets));
            ps.setString(3, zone.getId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The instants at which a table is maintained, in order. */
    private static List<Instant> visits(ZoneId zone, LocalPeriod period) {
        TreeSet<Instant> visits = new TreeSet<>();
        for (ZoneOffsetTransition t : chosen(zone, period)) {
            visits.add(t.getInstant().minus(period.length));
            visits.add(t.getInstant().plus(period.length.multipliedBy(3).dividedBy(2)));
        }
        // and one early in 2010, at an odd time of day
        visits.add(
                FROM.plus(Duration.ofDays(60 + period.length.toHours() % 997)).plus(Duration.ofMinutes(437)));
        return List.copyOf(visits);
    }

    /**
     * The transitions a table visits: for hours and days, {@link #TRANSITIONS_PER_ZONE} in a row from the middle of
     * the years (odd ones when the zone has any, and then one ordinary one too), and the two the issue names; for longer periods, those within a day and a half
     * of a period start (up to two).
     */
    private static List<ZoneOffsetTransition> chosen(ZoneId zone, LocalPeriod period) {
        List<ZoneOffsetTransition> all = transitions(zone);
        List<ZoneOffsetTransition> result = new ArrayList<>();
        if (period.fine()) {
            for (ZoneOffsetTransition t : all) {
                if (t.getInstant().equals(Instant.parse("2011-12-30T10:00:00Z")) // Samoa skips the 30th
                        || t.getInstant().equals(Instant.parse("2026-04-04T15:00:00Z"))) { // Lord Howe, +10:30
                    result.add(t);
                }
            }
            List<ZoneOffsetTransition> odd =
                    all.stream().filter(TimeGridProperty::oddTransition).toList();
            List<ZoneOffsetTransition> pool = odd.isEmpty() ? all : odd;
            // two in a row: the clocks going forward and back (or two odd moves)
            int middle = Math.max(0, Math.min((pool.size() - 1) / 2, pool.size() - TRANSITIONS_PER_ZONE));
            for (int i = middle; i < middle + TRANSITIONS_PER_ZONE && i < pool.size(); i++) {
                result.add(pool.get(i));
            }
            all.stream()
                    .filter(t -> !odd.isEmpty() && !oddTransition(t))
                    .findFirst()
                    .ifPresent(result::add);
            return result.stream().distinct().toList();
        }
        for (ZoneOffsetTransition t : all) {
            LocalDateTime after = t.getDateTimeAfter();
            LocalDateTime start = period.floor(after);
            LocalDateTime next = period.next(start);
            if (Duration.between(start, after).compareTo(Duration.ofHours(36)) <= 0
                    || Duration.between(after, next).compareTo(Duration.ofHours(36)) <= 0) {
                result.add(t);
            }
            if (result.size() == 2) {
                break;
            }
        }
        return result;
    }
}
