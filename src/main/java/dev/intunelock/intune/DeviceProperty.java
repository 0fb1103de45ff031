package dev.intunelock.intune;

/** The managedDevice properties devices can be looked up by. */
public enum DeviceProperty {
    USER_PRINCIPAL_NAME("userPrincipalName"),
    /** The Entra object id of the device's primary user. */
    USER_ID("userId"),
    SERIAL_NUMBER("serialNumber"),
    AZURE_AD_DEVICE_ID("azureADDeviceId"),
    DEVICE_NAME("deviceName");

    private final String graphName;

    DeviceProperty(String graphName) {
        this.graphName = graphName;
    }

    public String graphName() {
        return graphName;
    }
}
