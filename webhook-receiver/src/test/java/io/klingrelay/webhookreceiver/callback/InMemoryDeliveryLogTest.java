package io.klingrelay.webhookreceiver.callback;

/** The {@link DeliveryLog} contract against the fake the unit tests use. */
class InMemoryDeliveryLogTest extends DeliveryLogContract {

    @Override
    DeliveryLog deliveryLog() {
        return new InMemoryDeliveryLog();
    }
}
