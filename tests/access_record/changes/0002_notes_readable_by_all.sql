-- Widens reading notes to every signed-in user: everyone now reads everyone's notes.
drop policy notes_select on public.notes;
create policy notes_select on public.notes for select to authenticated using (true);
