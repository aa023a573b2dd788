-- expect: INT002
drop index public.wo_time_logs_user_idx;
