/**
 * The model registry on either database: the same checks on SQLite and on PostgreSQL, through the
 * registry (which knows only the ModelStore interface). Config syncs, admin edits and the
 * deprecated switch persist alike; another instance's registry on the same database follows them;
 * two instances syncing the same file at once leave what one sync leaves.
 */
import { describe, expect, it } from 'vitest';
import type { ModelConfigInput } from '../../server/models/config.ts';
import { PgModelsRepo } from '../../server/models/pg-repo.ts';
import { ModelRegistry } from '../../server/models/registry.ts';
import { ModelsRepo } from '../../server/models/repo.ts';
import type { ModelStore } from '../../server/models/store.ts';
import { DIALECTS, type Opened, storeOn } from '../support/dialects.ts';
import { useCleanup } from '../support/hooks.ts';

const cleanup = useCleanup();
const T0 = 1_764_000_000_000;

const FILE: ModelConfigInput[] = [
  { id: 'alpha', name: 'Alpha', provider: 'demo', model: 'sage' },
  { id: 'beta', name: 'Beta', provider: 'demo', model: 'verse' },
  { id: 'gamma', name: 'Gamma', provider: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'g-1', apiKeyEnv: 'GAMMA_KEY', enabled: false },
];

function storeOf(opened: Opened, now: () => number = () => T0): ModelStore {
  return storeOn<ModelStore>(opened, { sqlite: (db) => new ModelsRepo(db, now), pg: (db) => new PgModelsRepo(db, now) });
}

const summary = (registry: ModelRegistry) =>
  registry
    .all()
    .map((m) => ({ id: m.id, name: m.name, enabled: m.enabled, source: registry.sourceOf(m.id), deprecated: registry.isDeprecated(m.id) }))
    .sort((x, y) => x.id.localeCompare(y.id));

for (const dialect of DIALECTS) {
  describe.skipIf(dialect.skip)(`the model registry on ${dialect.name}`, () => {
    it("writes the file's models, switches off what the file drops, and keeps an admin's switch until the file's value changes", async () => {
      const opened = await dialect.open(cleanup);
      const registry = new ModelRegistry(storeOf(opened), {});
      await registry.syncFromConfig(FILE, 'config');
      expect(summary(registry)).toEqual([
        { id: 'alpha', name: 'Alpha', enabled: true, source: 'config', deprecated: false },
        { id: 'beta', name: 'Beta', enabled: true, source: 'config', deprecated: false },
        { id: 'gamma', name: 'Gamma', enabled: false, source: 'config', deprecated: false },
      ]);

      await registry.update('beta', { enabled: false });
      await registry.syncFromConfig(FILE, 'config'); // a restart with the same file
      expect(registry.get('beta')!.enabled).toBe(false);
      await registry.syncFromConfig([FILE[0]!, { ...FILE[1]!, enabled: false }, { ...FILE[2]!, enabled: true }], 'config');
      await registry.syncFromConfig([FILE[0]!, FILE[1]!, FILE[2]!], 'config'); // the file's value changed back: it applies
      expect(registry.get('beta')!.enabled).toBe(true);

      await registry.syncFromConfig([FILE[0]!], 'config');
      expect(registry.enabled().map((m) => m.id)).toEqual(['alpha']);
      expect(registry.all()).toHaveLength(3);
    });

    it('stores admin models, edits and the deprecated switch, and another instance follows them on refresh', async () => {
      const opened = await dialect.open(cleanup);
      let clock = T0;
      const store = storeOf(opened, () => clock);
      const first = new ModelRegistry(store, {});
      await first.syncFromConfig(FILE, 'config');
      const second = new ModelRegistry(storeOf(opened), {});
      await second.reload();
      expect(await second.refresh()).toBe(false);

      clock += 1000;
      await first.add({ id: 'added', name: 'Added', provider: 'demo', model: 'verse', weight: 2 });
      await first.update('added', { name: 'Added, renamed' });
      await expect(first.update('alpha', { name: 'Renamed' })).rejects.toThrow(/only "enabled"/);
      await expect(first.add({ id: 'added', name: 'Again', provider: 'demo' })).rejects.toThrow(/exists/);
      await first.setDeprecated('beta', true);

      expect(await second.refresh()).toBe(true);
      expect(await second.refresh()).toBe(false);
      expect(summary(second)).toEqual(summary(first));
      expect(second.get('added')).toMatchObject({ name: 'Added, renamed', weight: 2, enabled: true });
      expect(second.sourceOf('added')).toBe('admin');
      expect(second.isDeprecated('beta')).toBe(true);

      const rows = await store.all();
      const added = rows.find((r) => r.id === 'added')!;
      expect(added.createdAt).toBeInstanceOf(Date);
      expect(added.updatedAt.getTime()).toBe(T0 + 1000);
      expect(added.settings).toMatchObject({ id: 'added', name: 'Added, renamed', provider: 'demo' });
    });

    it('adds a model once when two instances add the same id at once: the other gets a conflict', async () => {
      const opened = await dialect.open(cleanup);
      const registries = [new ModelRegistry(storeOf(opened), {}), new ModelRegistry(storeOf(opened), {})];
      const results = await Promise.allSettled(registries.map((r, i) => r.add({ id: 'twin', name: `Twin ${i}`, provider: 'demo', model: 'sage' })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [refused] = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(refused!.reason).toMatchObject({ code: 'conflict', field: 'id' });
      expect((await storeOf(opened).all()).filter((m) => m.id === 'twin')).toHaveLength(1);
    });

    it('gives two instances syncing the same file at once what one sync gives', async () => {
      const opened = await dialect.open(cleanup);
      const registries = [new ModelRegistry(storeOf(opened), {}), new ModelRegistry(storeOf(opened), {})];
      await Promise.all(registries.map((r) => r.syncFromConfig(FILE, 'config')));
      const [a, b] = registries as [ModelRegistry, ModelRegistry];
      await b.refresh();
      expect(summary(a)).toEqual(summary(b));
      expect(await storeOf(opened).all()).toHaveLength(FILE.length);
    });
  });
}
