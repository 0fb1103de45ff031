package dev.intunelock.batch;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.intunelock.lock.Platform;
import dev.intunelock.request.DeviceIds;
import dev.intunelock.request.Guids;
import dev.intunelock.request.InvalidRequest;

/**
 * "Lock all of these": a reason and exactly one of {@code user} (UPN or Entra object id: every managed device of
 * that user), {@code deviceIds} or {@code serialNumbers} (each up to {@value #MOST_DEVICES}); optionally only the
 * given {@code platforms}, and {@code dryRun} to learn what would happen without sending anything.
 */
public record LockBatchRequest(String reason, String user, List<String> deviceIds, List<String> serialNumbers,
        List<String> platforms, Boolean dryRun) {

    static final int MOST_DEVICES = 1000;
    static final int MAX_REASON = 1000;
    private static final Pattern UPN = Pattern.compile("[^@\\s'\"]{1,113}@[^@\\s'\"]{1,140}");
    private static final Pattern SERIAL_NUMBER = Pattern.compile("[\\x21-\\x7E&&[^'\"]]{1,64}");
    /** The platforms Remote lock supports; a filter naming any other could only ever match nothing. */
    static final Set<Platform> LOCKABLE = EnumSet.of(Platform.ANDROID, Platform.ANDROID_ENTERPRISE, Platform.IOS,
            Platform.MACOS, Platform.WINDOWS_MOBILE);

    /** Whose devices, or which: exactly one kind. */
    sealed interface Target {
        /** What the request named: {@code user}, {@code deviceIds} or {@code serialNumbers}. */
        String kind();
    }

    record UserDevices(String user) implements Target {
        public String kind() {
            return "user";
        }

        boolean byObjectId() {
            return Guids.isGuid(user);
        }
    }

    record DeviceList(List<String> deviceIds) implements Target {
        public String kind() {
            return "deviceIds";
        }
    }

    record SerialNumberList(List<String> serialNumbers) implements Target {
        public String kind() {
            return "serialNumbers";
        }
    }

    /** The request as checked: every problem named at once ({@link InvalidRequest}). */
    record Valid(String reason, Target target, Set<Platform> platforms, boolean dryRun) {
    }

    static Valid validated(LockBatchRequest request) {
        if (request == null) {
            throw new InvalidRequest(List.of("A JSON body with \"reason\" and one of \"user\", \"deviceIds\" or "
                    + "\"serialNumbers\" is required."));
        }
        List<String> violations = new ArrayList<>();
        if (request.reason() == null || request.reason().isBlank()) {
            violations.add("reason is required: say why these devices are being locked.");
        } else if (request.reason().length() > MAX_REASON) {
            violations.add("reason must be at most " + MAX_REASON + " characters.");
        }
        int kinds = (request.user() != null ? 1 : 0) + (request.deviceIds() != null ? 1 : 0)
                + (request.serialNumbers() != null ? 1 : 0);
        Target target = null;
        if (kinds != 1) {
            violations.add("Give exactly one of user, deviceIds or serialNumbers.");
        } else if (request.user() != null) {
            String user = request.user().strip();
            if (!namesAUser(user)) {
                violations.add("user must be a user principal name (alice@contoso.com) or an Entra object id (a GUID).");
            }
            target = new UserDevices(user);
        } else if (request.deviceIds() != null) {
            List<String> ids = distinct(request.deviceIds(), "deviceIds", violations);
            if (ids.stream().anyMatch(id -> id == null || !DeviceIds.isIntuneId(id))) {
                violations.add("deviceIds: each must be an Intune managed device id (a GUID).");
            } else {
                target = new DeviceList(ids.stream().map(DeviceIds::validated).distinct().toList());
            }
        } else {
            List<String> serials = distinct(request.serialNumbers(), "serialNumbers", violations);
            if (serials.stream().anyMatch(serial -> serial == null || !SERIAL_NUMBER.matcher(serial).matches())) {
                violations.add("serialNumbers: each must be 1 to 64 visible ASCII characters, without quotes.");
            } else {
                target = new SerialNumberList(serials);
            }
        }
        Set<Platform> platforms = platforms(request.platforms(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
        return new Valid(request.reason().strip(), target, platforms, Boolean.TRUE.equals(request.dryRun()));
    }

    /** A user principal name or an Entra object id. */
    static boolean namesAUser(String user) {
        return user != null && (Guids.isGuid(user) || UPN.matcher(user).matches());
    }

    private static List<String> distinct(List<String> values, String field, List<String> violations) {
        if (values.isEmpty()) {
            violations.add(field + " must name at least one device.");
        } else if (values.size() > MOST_DEVICES) {
            violations.add(field + " may name at most " + MOST_DEVICES + " devices; split larger lists.");
        }
        List<String> stripped = new ArrayList<>();
        values.forEach(value -> stripped.add(value == null ? null : value.strip()));
        return new ArrayList<>(new LinkedHashSet<>(stripped)); // the same device named twice is locked once
    }

    private static Set<Platform> platforms(List<String> names, List<String> violations) {
        if (names == null) {
            return LOCKABLE;
        }
        Set<Platform> chosen = EnumSet.noneOf(Platform.class);
        for (String name : names) {
            Platform platform = name == null ? null : LOCKABLE.stream()
                    .filter(p -> p.name().equals(name.strip().toUpperCase(Locale.ROOT))).findFirst().orElse(null);
            if (platform == null) {
                violations.add("platforms: '" + name + "' is not one of " + LOCKABLE + ".");
            } else {
                chosen.add(platform);
            }
        }
        if (names.isEmpty()) {
            violations.add("platforms, when given, must name at least one platform.");
        }
        return chosen;
    }
}
