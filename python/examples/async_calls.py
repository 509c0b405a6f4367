"""Place 50 calls concurrently with AsyncClient, then walk them with async for."""

from __future__ import annotations

import asyncio

import mycpaas


async def place_all(client: mycpaas.AsyncClient, count: int) -> list[mycpaas.Call]:
    return await asyncio.gather(
        *(client.calls.create(to="+15551230000", from_="+15559870000", url="https://example.com/voice.xml") for _ in range(count))
    )


async def main() -> None:
    with mycpaas.Simulator() as sim:
        async with sim.async_client() as client:
            calls = await place_all(client, 50)
            print(f"placed {len(calls)} calls")
            seen = 0
            async for call in client.calls.stream(to="+15551230000", page_size=20):
                seen += 1
            print(f"listed {seen} calls")


if __name__ == "__main__":
    asyncio.run(main())
