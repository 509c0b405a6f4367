"""Smallest use of the package: print its version."""

import mycpaas


def main() -> None:
    print(f"mycpaas {mycpaas.__version__}")


if __name__ == "__main__":
    main()
