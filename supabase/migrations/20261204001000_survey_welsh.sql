-- Survey questions in Welsh as well as English (issue 14, item 5).
--
-- A question and its options keep one identity whatever language they are read in: answers
-- already name the question by id and a choice by its number (survey_answers.choices, the
-- running totals' `option`), never by its words. So the Welsh wording is more text on the same
-- row, not another question: results of a survey answered partly in Welsh and partly in English
-- count together by construction, and the checks in private.record_survey_answers (a choice is
-- 1..cardinality(options)) hold for either language.
--
--   prompt_cy         the question in Welsh; null: not written in Welsh (readers see English)
--   simple_prompt_cy  the simpler words for the 4–7 and 8–11 versions, in Welsh
--   options_cy        the answers to choose from in Welsh, in the same order as `options`: option
--                     k is the same answer in both languages. Empty, or exactly as many as English.
--
-- Like every other wording, they change only while the survey is a draft: the existing policies
-- on survey_questions (designers of a draft insert and update; the audience reads published
-- questions) apply to the new columns unchanged. RLS stays on; the column grants below are the
-- only new rights, to authenticated only.

alter table public.survey_questions
  add column prompt_cy text check (char_length(prompt_cy) between 1 and 300),
  add column simple_prompt_cy text check (char_length(simple_prompt_cy) between 1 and 300),
  add column options_cy text[] not null default '{}'
    check (cardinality(options_cy) = 0 or cardinality(options_cy) = cardinality(options)),
  -- No Welsh answers without the Welsh question (a half-Welsh question reads oddly).
  add constraint survey_questions_welsh_options_need_prompt
    check (cardinality(options_cy) = 0 or prompt_cy is not null),
  add constraint survey_questions_welsh_simple_needs_prompt
    check (simple_prompt_cy is null or prompt_cy is not null),
  -- ...and no Welsh question without its answers in Welsh: English answers under a Welsh question
  -- would be marked and read aloud as Welsh.
  add constraint survey_questions_welsh_prompt_needs_options
    check (prompt_cy is null or cardinality(options_cy) = cardinality(options));

comment on column public.survey_questions.prompt_cy is
  'The question in Welsh; null when not written in Welsh (readers then see the English).';
comment on column public.survey_questions.simple_prompt_cy is
  'Simpler Welsh words for the 4–7 and 8–11 versions; the meaning stays the same.';
comment on column public.survey_questions.options_cy is
  'The answers in Welsh, in the same order as options: option k is one answer in both languages.';

grant insert (prompt_cy, simple_prompt_cy, options_cy),
  update (prompt_cy, simple_prompt_cy, options_cy)
  on public.survey_questions to authenticated;
