"""Telling a pickle from other files, for the no-pickle tests."""

import pickletools


def is_pickle(data: bytes) -> bool:
    """True if ``data`` is a pickle (any protocol), as joblib and pickle write.

    Protocol 2 and later start with the PROTO opcode (0x80 and the protocol
    number); older protocols are recognised by parsing the opcodes to a STOP.
    """
    if len(data) >= 2 and data[0] == 0x80 and 2 <= data[1] <= 5:
        return True
    try:
        for opcode, _, _ in pickletools.genops(data):
            if opcode.name == "STOP":
                return True
    except Exception:
        return False
    return False
