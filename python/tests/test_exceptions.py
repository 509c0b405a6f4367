import pickle

import mycpaas
from mycpaas import exceptions


def test_hierarchy_matches_the_documented_tree() -> None:
    assert issubclass(mycpaas.ValidationError, mycpaas.MycpaasError)
    assert issubclass(mycpaas.ValidationError, ValueError)
    for cls in (mycpaas.AuthenticationError, mycpaas.NotFoundError, mycpaas.RateLimitError):
        assert issubclass(cls, mycpaas.ApiError)
    assert issubclass(mycpaas.ApiError, mycpaas.MycpaasError)
    assert issubclass(mycpaas.TimeoutError, mycpaas.TransportError)
    assert issubclass(mycpaas.TimeoutError, TimeoutError)
    assert issubclass(mycpaas.MaybeCreatedError, mycpaas.MycpaasError)
    assert not issubclass(mycpaas.MaybeCreatedError, mycpaas.TransportError)
    assert issubclass(mycpaas.MaybeCreatedTransportError, mycpaas.MaybeCreatedError)
    assert issubclass(mycpaas.MaybeCreatedTransportError, mycpaas.TransportError)
    assert issubclass(mycpaas.MaybeCreatedTimeoutError, mycpaas.MaybeCreatedTransportError)
    assert issubclass(mycpaas.MaybeCreatedTimeoutError, mycpaas.TimeoutError)
    assert issubclass(mycpaas.TransportError, mycpaas.MycpaasError)


def test_api_error_keeps_every_field_and_pickles() -> None:
    err = mycpaas.NotFoundError("The requested resource was not found", 404, 20404, "https://docs/20404")
    assert (err.status, err.code, err.message, err.more_info) == (
        404,
        20404,
        "The requested resource was not found",
        "https://docs/20404",
    )
    assert "404" in str(err) and "20404" in str(err)
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is mycpaas.NotFoundError
    assert again.code == 20404 and again.more_info == "https://docs/20404"


def test_validation_error_names_parameter_and_rule() -> None:
    err = mycpaas.ValidationError("Timeout must be 1..=600", "Timeout", "1..=600")
    assert err.parameter == "Timeout" and err.rule == "1..=600"
    assert pickle.loads(pickle.dumps(err)).parameter == "Timeout"


def test_every_exported_name_exists() -> None:
    for name in mycpaas.__all__:
        assert hasattr(mycpaas, name), name
    for name in exceptions.__all__:
        assert hasattr(exceptions, name), name
