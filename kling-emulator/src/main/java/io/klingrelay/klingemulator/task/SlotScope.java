package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.account.ResourcePacks;
import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.spec.Product;
import io.klingrelay.klingemulator.spec.TaskSpec;
import org.springframework.stereotype.Component;

/**
 * Which slot pool a task draws from and how big it is ({@code concurrency-scope}, kling-api.md §13 ⚠):
 * {@code account} = one pool per account sized {@code accounts[i].concurrency} (changeable through the admin
 * API); {@code pack-type} = one pool per account and pack type; {@code model-pack-type} = per account, model
 * and pack type. In the last two the size is the highest concurrency among the account's online packs of the
 * type, falling back to the account's concurrency.
 */
@Component
public class SlotScope {

    private final String scope;
    private final EmulatorSettings settings;
    private final ResourcePacks packs;

    public SlotScope(EmulatorProperties properties, EmulatorSettings settings, ResourcePacks packs) {
        this.scope = properties.concurrencyScope();
        this.settings = settings;
        this.packs = packs;
    }

    /** @return the pool key; equal to the account id in the default {@code account} scope */
    public String key(String accountId, Product product, TaskSpec spec) {
        return switch (scope) {
            case "pack-type" -> accountId + "|" + product.packType();
            case "model-pack-type" -> accountId + "|" + spec.modelName() + "|" + product.packType();
            default -> accountId;
        };
    }

    /** @return the pool's size */
    public int limit(String accountId, Product product) {
        int accountLimit = settings.concurrency(accountId).orElse(0);
        if ("account".equals(scope)) {
            return accountLimit;
        }
        return packs.concurrency(accountId, product.packType()).orElse(accountLimit);
    }
}
