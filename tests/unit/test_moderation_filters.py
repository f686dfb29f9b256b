"""The pure moderation filters (community.moderation.filters) and the classify CLI."""
import json
import os
from pathlib import Path

import pytest

from community.moderation.filters import (
    CONSULT_NOTICE, Decision, Span, censor, quick_check, redact, run_filters,
)

HERE = Path(__file__).resolve()
# ../shared beside the checkout, as on the team's machines; a clone elsewhere (a fresh CI clone
# under /tmp) finds the machine's copy, or SHARED_DIR says where it is.
SHARED_SET = next(
    (d / "data/moderation_dev.jsonl" for d in (
        *([Path(os.environ["SHARED_DIR"])] if os.environ.get("SHARED_DIR") else []),
        HERE.parents[2].parent / "shared", Path("/work/shared"),
    ) if (d / "data/moderation_dev.jsonl").exists()),
    HERE.parents[2].parent / "shared/data/moderation_dev.jsonl",
)
OWN_SET = HERE.parents[2] / "community/moderation/data/own-cases.jsonl"
LABELS = ("consult_reminder", "phi", "crisis", "spam", "abuse")


def labels(text):
    return set(run_filters(text).labels)


# --- consult_reminder: negation, actor scope, modality ------------------------------------

@pytest.mark.parametrize("text", [
    "I stopped my insulin last week and feel fine.",
    "you should double your prednisone when you flare",
    "Thinking of coming off my sertraline on my own this month.",
    "Has anyone skipped their Humira for a holiday?",
    "My doctor doubled my prednisone, so you should double yours too.",
])
def test_reminder_for_advice_and_self_directed_changes(text):
    assert "consult_reminder" in labels(text)


@pytest.mark.parametrize("text", [
    "I would never stop my insulin, I've seen what DKA does.",
    "Please don't stop your seizure meds without your neuro.",
    "My GP told me to stop ibuprofen because of my kidneys.",
    "My rheumatologist switched me from Humira to Rinvoq.",
    "Should I ask my doctor about lowering my prednisone?",
    "I stopped my meds once and ended up in hospital. Don't do it.",
    "Metformin 500mg twice a day as prescribed, A1c 7.2.",
    "FDA just approved a new oral drug for UC.",
])
def test_no_reminder_for_clinician_directed_negated_or_mentions(text):
    assert "consult_reminder" not in labels(text)


def test_notice_text():
    assert CONSULT_NOTICE == "Talk with your clinician before changing any medication or lifestyle habit"
    decision = run_filters("Ditch the metformin and take cinnamon instead.")
    assert "notice:consult_reminder" in decision.actions


# --- crisis: idioms, recovery, third parties ----------------------------------------------

@pytest.mark.parametrize("text", [
    "This flare is killing me.",
    "I could kill for a nap right now.",
    "Dying to try the new cafe near the clinic!",
    "Twelve years ago I attempted suicide. Today I have a life I love.",
    "Suicidal thoughts are a listed side effect of Keppra, watch for mood changes.",
    "My brother died by suicide five years ago today.",
])
def test_no_crisis_for_idioms_recovery_information_and_grief(text):
    assert "crisis" not in labels(text)


def test_crisis_actions_by_tier():
    passive = run_filters("Some nights I hope I won't wake up.")
    assert "crisis" in passive.labels
    assert {"crisis_resources", "limit_members", "alert"} <= passive.actions
    assert "escalate_now" not in passive.actions
    method = run_filters("How many of my propranolol would it take? I'm done.")
    assert {"escalate_now", "hold"} <= method.actions
    third = run_filters("My husband says he is going to kill himself tonight.")
    assert "escalate_now" in third.actions


# --- phi: phone numbers against lab values, doses and years --------------------------------

@pytest.mark.parametrize("text", [
    "A1c 7.2, on metformin 500mg twice a day since 2016.",
    "BP 142/91 this morning, 128/84 tonight.",
    "Platelets 145,000 and WBC 3,200 at the last check.",
    "Echo 1 was 2/1/23, echo 2 was 2/5/24.",
    "If you're struggling call Samaritans on 116 123 or text 988.",
    "The MS Society helpline is 0808 800 8000, open weekdays.",
    "My rheumatologist is Dr. Sarah Whitman, she's brilliant.",
])
def test_numbers_helplines_and_clinicians_are_not_phi(text):
    assert "phi" not in labels(text)


@pytest.mark.parametrize("text", [
    "Text me on 07700 900123 if you want to meet up for the Crohn's walk.",
    "You can reach me at 1-604-555-0193, I'd love to start an epilepsy group.",
    "email me at kerri [dot] fibro [at] example [dot] com",
    "My name is Rebecca Lindqvist and I was diagnosed with MS last spring.",
])
def test_identifiers_are_phi(text):
    assert "phi" in labels(text)


def test_third_party_and_id_numbers_are_held():
    assert "hold" in run_filters("My sister Joanna Pike is in hospital with a lupus flare.").actions
    assert "hold" in run_filters("My MRN is 004517762, how do I see my records?").actions
    assert run_filters("Text me on 07700 900123, I have Crohn's too.").actions == {"redact"}


def test_contact_details_in_spam_are_spam_not_phi():
    decision = run_filters("Dr Ayo cured my sister's sickle cell with herbs, WhatsApp him on +234 809 555 0111")
    assert "spam" in decision.labels and "phi" not in decision.labels


# --- redact and censor keep the original offsets -------------------------------------------

def test_redact_replaces_identifier_spans_of_the_original_text():
    text = "Stra\u00dfe caf\u00e9 \ufb01ne \U0001f937\u200d\u2640\ufe0f, call me on 07700 900123 or jo@example.org."
    decision = run_filters(text)
    spans = [s for v in decision.verdicts for s in v.spans]
    assert {"phone", "email"} <= {s.kind for s in spans}
    assert redact(text, spans) == (
        "Stra\u00dfe caf\u00e9 \ufb01ne \U0001f937\u200d\u2640\ufe0f, call me on [removed] or [removed].")


def test_redact_merges_overlaps_and_ignores_other_kinds():
    text = "0123456789"
    spans = [Span(1, 4, "phone"), Span(3, 6, "email"), Span(7, 9, "drug")]
    assert redact(text, spans) == "0[removed]6789"


def test_censor_profanity_spans_only():
    text = "This sh1t is exhausting, f u c k this flare."
    spans = [s for v in run_filters(text).verdicts for s in v.spans]
    assert censor(text, spans) == "This s*** is exhausting, f*** this flare."
    assert "censor" in run_filters(text).actions


def test_mild_words_anatomy_and_scunthorpe_are_not_abuse():
    for text in ("Damn, what the hell, crap day.", "Anal fissure and rectal bleeding again.",
                 "Moved to Scunthorpe last year.", "Bloody stool, calling the IBD nurse."):
        assert "abuse" not in labels(text), text


# --- run_filters and quick_check -----------------------------------------------------------

def test_quick_check_runs_only_crisis_and_phi():
    decision = quick_check("Cheap Xanax no prescription, DM me. Text me on 07700 900123.")
    assert [v.filter for v in decision.verdicts] == ["crisis", "phi"]
    assert decision.labels == ("phi",)


def test_crisis_removes_reject_if_new():
    spam_only = run_filters("Buy oxycodone online, no prescription, discreet shipping. Telegram @medsplug")
    assert "reject_if_new" in spam_only.actions
    both = run_filters("Buy oxycodone online, no prescription, discreet shipping. Telegram @medsplug. "
                       "I'm going to take all of them tonight.")
    assert {"spam", "crisis"} <= set(both.labels)
    assert "reject_if_new" not in both.actions


def test_decision_shape():
    decision = run_filters("")
    assert isinstance(decision, Decision)
    assert decision.labels == () and decision.actions == frozenset()
    assert [v.filter for v in decision.verdicts] == ["crisis", "spam", "phi", "abuse", "consult_reminder"]


# --- the targets on the shared set and on ours -------------------------------------

def _scores(path):
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {label: [0, 0, 0] for label in LABELS}      # tp, fp, fn
    for row in rows:
        predicted, gold = set(run_filters(row["text"]).labels), set(row["labels"])
        for label in LABELS:
            if label in predicted and label in gold:
                counts[label][0] += 1
            elif label in predicted:
                counts[label][1] += 1
            elif label in gold:
                counts[label][2] += 1
    scores = {}
    for label, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = (precision, recall, f1)
    return scores


@pytest.mark.parametrize("path", [SHARED_SET, OWN_SET], ids=["shared", "own"])
def test_quality_targets(path):
    if not path.exists():
        pytest.fail(f"labelled set missing: {path}")
    scores = _scores(path)
    assert scores["crisis"][1] >= 0.95, scores
    for label in ("consult_reminder", "phi", "spam", "abuse"):
        assert scores[label][2] >= 0.85, (label, scores)


def test_own_cases_cover_the_brief():
    rows = [json.loads(line) for line in OWN_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 300
    count = {label: sum(label in r["labels"] for r in rows) for label in LABELS}
    assert count["consult_reminder"] >= 60 and count["phi"] >= 40 and count["crisis"] >= 40
    assert count["spam"] >= 25 and count["abuse"] >= 25
    assert sum(not r["labels"] for r in rows) >= 120
    assert all(r["id"].startswith("own-") for r in rows)


# --- the classify CLI ------------------------------------------------------------------------

def test_classify_cli(tmp_path, monkeypatch):
    from community import create_app
    from community.config import celery_config

    monkeypatch.setenv("COMMUNITY_INSTANCE_PATH", str(tmp_path / "instance"))
    celery = celery_config(None)
    celery.update({"broker_url": "memory://localhost/", "task_always_eager": True})
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test", "CELERY": celery, "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
    })
    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps(p) for p in [
        {"id": "a", "text": "I stopped my metformin and just use cinnamon now."},
        {"id": "b", "text": "I want to die. That's it."},
        {"id": "c", "text": "Infusion day, bring on the snacks."},
    ]) + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["moderation", "classify", str(posts)])
    assert result.exit_code == 0, result.output
    out = {row["id"]: row for row in map(json.loads, result.output.splitlines())}
    assert out["a"]["labels"] == ["consult_reminder"]
    assert out["a"]["notices"] == [{"kind": "consult_reminder", "text": CONSULT_NOTICE}]
    assert out["b"]["labels"] == ["crisis"]
    assert [n["kind"] for n in out["b"]["notices"]] == ["crisis_resources"]
    assert "988" in out["b"]["notices"][0]["text"]
    with app.app_context():   # one text of the resources: the site's, for the default locale
        from community.moderation.pipeline import crisis_notice
        assert out["b"]["notices"][0] == crisis_notice("en", gentle=True)   # "I want to die": the check-in lane
    assert {k: v for k, v in out["c"].items() if k != "scores"} == {"id": "c", "labels": [], "notices": []}
    assert set(out["a"]["scores"]) == {"consult_reminder", "crisis", "spam", "abuse"}
    assert out["a"]["scores"]["consult_reminder"] > out["c"]["scores"]["consult_reminder"]
    assert out["b"]["scores"]["crisis"] > out["c"]["scores"]["crisis"]


def test_an_email_address_is_a_contact_detail_not_a_link_to_a_site():
    # Leetspeak undoing turns "@" into "a": the address must not then read as a spam domain.
    decision = run_filters("Text me on 07700 900123 or write to maple.walker@gmail.com if you want to talk.")
    assert decision.labels == ("phi",)


# --- identifiers without cue words (issue 13) ---------------------------------------------------

def _phi(text):
    decision = run_filters(text)
    return [(text[s.start:s.end], s.kind) for v in decision.verdicts if v.filter == "phi" for s in v.spans]


def test_a_full_name_next_to_a_diagnosis_is_found_without_an_introduction():
    assert _phi("Carmen López Ruiz tiene VIH y no lo sabe nadie en el trabajo") == [("Carmen López Ruiz", "name")]
    assert _phi("John Smith from my office has MS, please pray for him") == [("John Smith", "name")]
    assert "hold" in run_filters("John Smith from my office has MS, please pray for him").actions   # a third party
    # not a name: a clinician, a condition's own capitalised words, a first name alone, no condition near
    assert _phi("My rheumatologist Sarah Jones says my lupus is stable") == []
    assert _phi("The Multiple Sclerosis Society has a helpline") == []
    assert _phi("Hi Mary, sorry about your Crohn's flare") == []
    assert _phi("John Smith fixed our fence on Saturday.") == []


def test_dates_of_birth_and_id_numbers_are_found_without_dob_or_mrn():
    assert _phi("nací el 03/04/1985 y tengo lupus") == [("03/04/1985", "dob")]
    assert _phi("My birthday 12/07/1979, lupus since 2010") == [("12/07/1979", "dob")]
    assert _phi("my son was diagnosed 04/05/2008 with type 1") == []          # a diagnosis date
    assert _phi("me: 03/09/1979, lupus since 2004") == [("03/09/1979", "dob")]   # "since" is the other date's
    assert _phi("Next appointment 03/04/2027") == []                          # not a birth year
    assert _phi("Mi DNI es 12345678Z, por si hace falta") == [("12345678Z", "id_number")]
    assert _phi("Referencia 12345678A del pedido") == []                      # wrong check letter, no cue
    assert _phi("Mi DNI es 12345678A") == [("12345678A", "id_number")]        # named as one: a typo is still an ID
    assert _phi("Medicare card came: 5TY2-QE4-RA19") == [("5TY2-QE4-RA19", "id_number")]   # an MBI's shape
    assert _phi("Cigna lost it again, ABC123456789 is my claim") == [("ABC123456789", "id_number")]
    assert _phi("CURP GODE561231HDFRRN09 por si acaso") == [("GODE561231HDFRRN09", "id_number")]
    assert _phi("the clinic gave me 40051877 to quote when I ring") == [("40051877", "id_number")]
    assert _phi("I was diagnosed in 2019 and 2020 was hard") == []


def test_a_relative_named_beside_a_health_event_and_a_spanish_posts_local_numbers_are_identifiers():
    from community.moderation import judge

    assert _phi("My husband Martin Crowley was rushed to the ER last night") == [("Martin Crowley", "name")]
    assert _phi("Martin Crowley was rushed to the ER last night") == []        # no cue and no condition named
    text = "Quedamos los jueves en Sevilla, 612 34 56 78 es el mío"
    spans = [(text[s.start:s.end], s.kind) for v in judge.judge(text).verdicts if v.filter == "phi" for s in v.spans]
    assert spans == [("612 34 56 78", "phone")]        # a Spanish mobile, read with Spanish-speaking regions
    assert _phi(text) == []                             # the English-speaking default regions alone do not know it


def test_contact_details_stay_identifiers_when_only_the_classifier_suspects_spam():
    from community.moderation import judge

    text = "Escribidme a maite.lupus@example.com para el grupo de los jueves en Valencia"
    decision = judge.judge(text)
    assert "spam" not in run_filters(text).labels           # no spam rule: a member asking others to write
    assert "phi" in decision.labels                          # the e-mail is removed whatever the classifier thinks
    rule_spam = "Buy cheap Ozempic, no prescription, discreet shipping, e-mail sales@pharma-quick.example"
    assert "phi" not in run_filters(rule_spam).labels        # inside spam the rules find, contacts are spam's


def test_identifiers_named_after_them_health_cards_and_people_introduced_beside_a_health_event():
    from community.moderation import judge

    def found(text):
        return [(text[s.start:s.end], s.kind) for v in judge.judge(text).verdicts if v.filter == "phi" for s in v.spans]

    assert found("B7730021 is my hospital number at the Royal, ring me") == [("B7730021", "id_number")]
    assert found("Card 5528-331-904-QZ is my health card, expired apparently") == [("5528-331-904-QZ", "id_number")]
    assert found("Please pray for Marek Kowalczyk, he's in ICU after his transplant") == [("Marek Kowalczyk", "name")]
    assert found("Mi hijo Mateo Herrera Gil, 9 años, asma desde bebé") == [("Mateo Herrera Gil", "name")]
    assert found("Dear Priya Raman from the Thursday group, you left your inhaler in my car") == [("Priya Raman", "name")]
    assert found("Email helpline@mssociety.example, they were lovely") == []      # an organisation's address
    assert found("Thinking of everyone in the group today") == []
    assert _phi("2 85 05 78 006 084 13 is a made-up number") == []                # not an NIR: its key is wrong


def test_names_cued_by_greetings_news_and_signatures_and_written_in_lower_case():
    assert _phi("Sending hugs to Maureen Calloway, her stem cell transplant is tomorrow") == [("Maureen Calloway", "name")]
    assert _phi("Has anyone heard how Gareth Pryce is doing after the resection?") == [("Gareth Pryce", "name")]
    assert _phi("Ocrevus has been kind to me so far.\n— Imogen Tait, PPMS") == [("Imogen Tait", "name")]
    assert _phi("My grandson Archie Bellweather has autism and starts school") == [("Archie Bellweather", "name")]
    assert _phi("My mum — Edith 'Edie' Stroud — is in hospice now") == [("Edith 'Edie' Stroud", "name")]
    assert _phi("my brother is owen castellano, he has epilepsy and lives alone") == [("owen castellano", "name")]
    assert _phi("mi hermana, carmen soledad iturbe, tiene lupus desde los veinte") == [("carmen soledad iturbe", "name")]
    assert _phi("My husband Ray Dunmore stopped his atorvastatin") == [("Ray Dunmore", "name")]   # a drug is health
    assert _phi("mi madre, está más despierta con la morfina") == []              # ordinary words, not a name
    assert _phi("Dra. Lucía Ferrer, mi reumatóloga, me diagnosticó lupus") == []    # a clinician
    assert _phi("Reading the new Ann Cleeves during my infusion") == []             # an author, not introduced


def test_phones_spelt_out_and_international_and_emails_written_out():
    assert _phi("text me on four one five, five five five, zero one nine two") == [
        ("four one five, five five five, zero one nine two", "phone")]
    assert _phi("mi teléfono es seis uno cero, dos dos tres, cuatro cinco seis") == [
        ("seis uno cero, dos dos tres, cuatro cinco seis", "phone")]
    assert _phi("I take two or three, four on bad days") == []                       # not a number
    assert _phi("+33 6 12 34 56 78 is my mobile while I'm in Lyon") == [("+33 6 12 34 56 78", "phone")]
    assert _phi("llámame al +52 1 55 1234 5678 por favor") == [("+52 1 55 1234 5678", "phone")]
    assert _phi("escríbanme a rosa.vidal arroba correo punto mx") == [("rosa.vidal arroba correo punto mx", "email")]
    assert _phi("email me at jo_ellis at example.ie about the clinic") == [("jo_ellis at example.ie", "email")]
    assert _phi("k a t e . o @ e x a m p l e . c o m") == [("k a t e . o @ e x a m p l e . c o m", "email")]
    assert _phi("I looked at nhs.uk for the dose") == []


def test_addresses_dates_and_ids_in_more_countries_and_forms():
    assert _phi("Wir wohnen in der Lindenstraße 14, 50674 Köln, come by") == [("Lindenstraße 14, 50674 Köln", "address")]
    assert _phi("manden todo a calle pino suárez 233, col. centro, mi mamá tiene cáncer")[0][1] == "address"
    assert _phi("We're at 9 Larch Court, my dad is just home from hospital") == [("9 Larch Court", "address")]
    assert _phi("our son was born 3/11/2017 and has T1D") == [("3/11/2017", "dob")]
    assert _phi("june 2 '58 is my birthday, COPD since 2001") == [("june 2 '58", "dob")]
    assert _phi("I'm a 14/03/61 baby with lupus") == [("14/03/61", "dob")]
    assert _phi("nacido el 8-XI-1950, con EPOC") == [("8-XI-1950", "dob")]
    assert _phi("passport number 583920174, travelling with my pump") == [("583920174", "id_number")]
    assert _phi("National Insurance number QQ 12 34 56 C for the PIP form") == [("qq 12 34 56 c", "id_number")] or \
        _phi("National Insurance number QQ 12 34 56 C for the PIP form")[0][1] == "id_number"
    assert _phi("mi número de póliza es XK-55120934") == [("XK-55120934", "id_number")]
    assert _phi("Order 40028817 still hasn't come") == [] and _phi("Joined trial NCT04561234") == []
    assert _phi("Complaint reference CMP-2024-08812, no reply") == []
    assert _phi("Healthline 0800 611 116 in NZ, free") == []


def test_signatures_double_barrelled_names_forms_titles_and_ids_after_their_cue():
    assert _phi("Ojalá no despertar mañana, soy una carga.\nRemedios Ocaña Vidal") == [("Remedios Ocaña Vidal", "name")]
    assert _phi("Prayers please, Folake Adebayo-Reid is in theatre for her mastectomy") == [
        ("Folake Adebayo-Reid", "name")]
    assert _phi("Patient: WINIFRED HALLORAN  Dx: COPD, on home oxygen") == [("WINIFRED HALLORAN", "name")]
    assert _phi("The nurse called 'Mrs Oyelaran Bamidele' for the methotrexate clinic")[0][1] == "name"
    assert _phi("the CHI number on my clinic letter (0304561237) for the neurology review") == [("0304561237", "id_number")]
    assert _phi("they shouted 'K4471290' and I only then saw it was my hospital number") == [("k4471290", "id_number")] or \
        _phi("they shouted 'K4471290' and I only then saw it was my hospital number")[0][1] == "id_number"
    assert _phi("the clinic moved to my old address, 14 Rue des Lilas, Montréal, and my MS letters went there")[0][1] == "address"
    assert _phi("write to lena dot ortiz at gmail about the lupus walk") == [("lena dot ortiz at gmail", "email")]
    assert _phi("ring me on oh-seven-seven-double-oh, nine-hundred, four-one-two") == [
        ("oh-seven-seven-double-oh, nine-hundred, four-one-two", "phone")]
    assert _phi("Rheumatology outpatients at St Aidan's, 40 Kingsway, Hull HU1 3XE, bring snacks") == []


def test_thanks_bracelets_words_freephone_and_check_digits():
    assert _phi("Huge thanks to Oluwaseun Adeyemi, who has lupus herself and drove me home") == [
        ("Oluwaseun Adeyemi", "name")]
    assert _phi("her bracelet says MAISIE CORRIGAN - TYPE 1 DIABETIC") == [("MAISIE CORRIGAN", "name")]
    assert _phi("my date of birth is the ninth of May nineteen sixty-two and the surgery has 1926") == [
        ("the ninth of May nineteen sixty-two", "dob")]
    assert _phi("the CHI number on my clinic letter is 2304561238, is that right?") == [("2304561238", "id_number")]
    assert _phi("Clinic number for the Rheumatology Centre is (617) 555-0100, ask for the nurse line") == []
    assert _phi("Caller ID showed 0800 555 0199, it was the pharmacy delivery line") == []
    assert _phi("piden el DNI del nene, 41.552.903, para el turno") == [("41.552.903", "id_number")]
    assert _phi("London lot - ring me on 020 7946 0381 about the COPD walk") == [("020 7946 0381", "phone")]
    assert _phi("Lot number on my pen box is 1093847, anyone else?") == []
