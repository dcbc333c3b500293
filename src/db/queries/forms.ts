import { and, eq, lt } from 'drizzle-orm';
import type { Clock } from '../../core/clock.ts';
import type { FormDraft, FormDrafts, FormSpec, Platform } from '../../core/types.ts';
import type { Db } from '../client.ts';
import { formDrafts } from '../schema/index.ts';

type Row = typeof formDrafts.$inferSelect;

const toDraft = (row: Row): FormDraft => ({
  id: row.id,
  platform: row.platform as Platform,
  workspaceId: row.workspaceId,
  userId: row.userId,
  form: row.form as FormSpec,
  values: row.values,
});

/** Form drafts in Postgres: what platforms keep between the steps of a form (the FormDrafts port). */
export function formDraftStore(db: Db, clock: Clock): FormDrafts {
  return {
    async save(draft) {
      const values = {
        platform: draft.platform,
        workspaceId: draft.workspaceId,
        userId: draft.userId,
        formId: draft.form.id,
        form: draft.form,
        values: draft.values,
        updatedAt: clock.now(),
      };
      const [row] = await db
        .insert(formDrafts)
        .values(values)
        .onConflictDoUpdate({
          target: [formDrafts.platform, formDrafts.workspaceId, formDrafts.userId, formDrafts.formId],
          set: { form: values.form, values: values.values, updatedAt: values.updatedAt },
        })
        .returning({ id: formDrafts.id });
      return row?.id ?? 0;
    },
    async find(id) {
      const [row] = await db.select().from(formDrafts).where(eq(formDrafts.id, id));
      return row ? toDraft(row) : undefined;
    },
    async findByForm(key) {
      const [row] = await db
        .select()
        .from(formDrafts)
        .where(
          and(
            eq(formDrafts.platform, key.platform),
            eq(formDrafts.workspaceId, key.workspaceId),
            eq(formDrafts.userId, key.userId),
            eq(formDrafts.formId, key.formId),
          ),
        );
      return row ? toDraft(row) : undefined;
    },
    async update(id, values) {
      await db.update(formDrafts).set({ values, updatedAt: clock.now() }).where(eq(formDrafts.id, id));
    },
    async remove(id) {
      await db.delete(formDrafts).where(eq(formDrafts.id, id));
    },
  };
}

/** Forgets drafts untouched since `before`. */
export async function pruneFormDrafts(db: Db, before: Date): Promise<void> {
  await db.delete(formDrafts).where(lt(formDrafts.updatedAt, before));
}
