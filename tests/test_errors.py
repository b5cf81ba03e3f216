"""peerlib's errors (``peerlib.errors``): each type names the kind of problem, and is the one a
user meets where that problem happens."""

import inspect

import pytest

import peerlib
from peerlib import errors
from peerlib.feedback import analyze_answer


def test_every_error_is_a_peerlib_error():
    types = [
        obj
        for _, obj in inspect.getmembers(errors, inspect.isclass)
        if obj.__module__ == errors.__name__
    ]
    assert len(types) >= 10
    assert all(issubclass(error, errors.PeerlibError) for error in types)


def test_an_unknown_question_id_is_an_unknown_id_not_a_content_problem():
    with pytest.raises(peerlib.UnknownIdError, match="Unknown question id 'nope'") as info:
        analyze_answer("nope", "x")
    assert isinstance(info.value, LookupError) and isinstance(info.value, ValueError)
    assert not isinstance(info.value, peerlib.ContentError)


def test_a_content_error_lists_its_problems_and_keeps_its_earlier_name():
    assert peerlib.BankFormatError is peerlib.ContentError
    assert issubclass(peerlib.ContentError, ValueError)
    assert errors.ContentError("bad").problems == ["bad"]
    error = errors.ContentError("2 problems", ["a.yaml, line 1: x", "a.yaml, line 2: y"])
    assert (
        error.problems == ["a.yaml, line 1: x", "a.yaml, line 2: y"] and str(error) == "2 problems"
    )
