import { sql, type Kysely } from 'kysely';

// A person's private profile in one call. PL/pgSQL keeps the plan of its query for the session, so
// the recursive management chain and the department walk are planned once per connection instead of
// on every profile read (planning took most of the read's time).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    create function org_person_profile(p_id uuid, p_as_of date) returns json
    language plpgsql stable as $fn$
    begin
      return (
        with recursive
        up(id, parent_id, kind, name, depth) as (
          select t.id, t.parent_id, t.kind, t.name, 0 from team t
            where t.id = (select pp.team_id from person pp where pp.id = p_id)
          union all
          select t.id, t.parent_id, t.kind, t.name, up.depth + 1
            from team t join up on t.id = up.parent_id where up.depth < 100
        ),
        chain(manager_id, depth, path) as (
          select rl.manager_id, 1, array[rl.person_id, rl.manager_id]
          from reporting_line rl
          where rl.person_id = p_id
            and rl.valid_from <= p_as_of and (rl.valid_to is null or rl.valid_to > p_as_of)
          union all
          select rl.manager_id, c.depth + 1, c.path || rl.manager_id
          from reporting_line rl join chain c on rl.person_id = c.manager_id
          where rl.valid_from <= p_as_of and (rl.valid_to is null or rl.valid_to > p_as_of)
            and not rl.manager_id = any(c.path) and c.depth < 100
        )
        select json_build_object(
          'id', p.id, 'name', p.name, 'email', p.email, 'title', p.title, 'team_id', p.team_id,
          'employee_id', p.employee_id, 'level', p.level, 'hire_date', p.hire_date,
          'leave_date', p.leave_date, 'leave_reason', p.leave_reason, 'location', p.location,
          'time_zone', p.time_zone, 'work_mode', p.work_mode, 'attributes', p.attributes,
          'team_name', (select t.name from team t where t.id = p.team_id),
          'manager_id', (
            select rl.manager_id from reporting_line rl
            where rl.person_id = p.id
              and rl.valid_from <= p_as_of and (rl.valid_to is null or rl.valid_to > p_as_of)
            order by rl.valid_from desc limit 1),
          'department', (select up.name from up where up.kind = 'department' order by up.depth limit 1),
          'lines', coalesce((
            select json_agg(json_build_object(
              'manager_id', rl.manager_id, 'manager_name', m.name,
              'valid_from', rl.valid_from, 'valid_to', rl.valid_to) order by rl.valid_from desc)
            from reporting_line rl join person m on m.id = rl.manager_id
            where rl.person_id = p.id
          ), '[]'::json),
          'chain', coalesce((
            select json_agg(json_build_object(
              'id', m.id, 'name', m.name, 'email', m.email, 'title', m.title, 'team_id', m.team_id,
              'team_name', mt.name, 'leave_date', m.leave_date,
              'manager_id', (
                select rl.manager_id from reporting_line rl
                where rl.person_id = m.id
                  and rl.valid_from <= p_as_of and (rl.valid_to is null or rl.valid_to > p_as_of)
                order by rl.valid_from desc limit 1)
              ) order by c.depth, m.name, m.id)
            from (select chain.manager_id, min(chain.depth) as depth from chain group by chain.manager_id) c
            join person m on m.id = c.manager_id
            left join team mt on mt.id = m.team_id
          ), '[]'::json)
        )
        from person p
        where p.id = p_id
      );
    end
    $fn$
    `,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists org_person_profile(uuid, date)`.execute(db);
}
