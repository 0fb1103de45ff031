package dev.intunelock.webhook;

import java.util.List;

import dev.intunelock.intune.DeviceProperty;
import dev.intunelock.intune.Intune;
import dev.intunelock.intune.IntuneDevice;
import dev.intunelock.request.DeviceIds;

/**
 * Device matching: an alert names its device by Intune id, Entra device id, serial number, or exact device name.
 * Exactly one managed device must match; none is {@code unmatched}, several are {@code ambiguous}. An Intune id
 * is its own match, without asking Graph: the lock's own read of the device finds out whether Intune has it.
 */
record DeviceMatch(String deviceId, int candidates) {

    /**
     * Graph compares names case-insensitively, so a name's matches are all read and then compared exactly; past this
     * many devices sharing it (a default name such as "iPhone"), the name cannot pick out one and is ambiguous.
     */
    static final int MOST_NAMESAKES = 1000;

    boolean unique() {
        return candidates == 1;
    }

    /** Whether matching this reference asks Graph (every kind but an Intune id). */
    static boolean needsGraph(Alert.DeviceRef ref) {
        return ref.kind() != Alert.IdentityKind.INTUNE_DEVICE_ID;
    }

    static DeviceMatch of(Alert.DeviceRef ref, Intune intune) {
        List<String> ids = switch (ref.kind()) {
            case INTUNE_DEVICE_ID -> DeviceIds.isIntuneId(ref.value())
                    ? List.of(DeviceIds.validated(ref.value()))
                    : List.of();
            case AZURE_AD_DEVICE_ID -> ids(intune.findDevicesWhere(DeviceProperty.AZURE_AD_DEVICE_ID, ref.value(), 1));
            case SERIAL_NUMBER -> ids(intune.findDevicesWhere(DeviceProperty.SERIAL_NUMBER, ref.value(), 1));
            case DEVICE_NAME -> named(intune.findDevicesWhere(DeviceProperty.DEVICE_NAME, ref.value(),
                    MOST_NAMESAKES), ref.value());
            case USER -> throw new IllegalArgumentException("A user is not one device: the alert starts a batch");
        };
        return new DeviceMatch(ids.size() == 1 ? ids.get(0) : null, ids.size());
    }

    /** "Exact" means exact: of the devices Graph lists for the name, those whose name is the very same. */
    private static List<String> named(List<IntuneDevice> namesakes, String name) {
        if (namesakes.size() > MOST_NAMESAKES) {
            return ids(namesakes);
        }
        return namesakes.stream().filter(device -> name.equals(device.deviceName())).map(IntuneDevice::id).toList();
    }

    private static List<String> ids(List<IntuneDevice> devices) {
        return devices.stream().map(IntuneDevice::id).toList();
    }
}
