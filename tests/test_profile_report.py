"""make profile's table: py-spy's collapsed stacks counted per function, its own samples and
the samples it is on the stack for (a recursive function counted once per stack)."""

from scripts.profile import top_functions


def test_functions_are_counted_by_their_own_samples_and_by_the_stacks_they_are_on():
    collapsed = "\n".join(
        [
            "main (app.py:1);parse (nlu.py:10);tokenize (spacy/language.py:5) 30",
            "main (app.py:1);parse (nlu.py:12);tokenize (spacy/language.py:7) 10",
            "main (app.py:1);walk (tree.py:3);walk (tree.py:4);walk (tree.py:4) 20",
            "main (app.py:1) 5",
            "garbage line without a count",
        ]
    )
    total, rows = top_functions(collapsed)
    assert total == 65
    by_name = {name: (own, stacked) for name, own, stacked in rows}
    assert by_name["tokenize (spacy/language.py)"] == (40, 40)  # two call sites, one function
    assert by_name["walk (tree.py)"] == (20, 20)  # recursion is not counted three times
    assert by_name["main (app.py)"] == (5, 65)
    assert [name for name, _, _ in rows][0] == "tokenize (spacy/language.py)"
